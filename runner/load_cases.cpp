#include "runner/load_cases.h"

#include <fmt/format.h>

#include <utility>

#include "runner/cases_dir.h"
#include "src/cases/loader.h"

namespace condspec {

std::optional<Suite> load_cases(const CasesOptions& cases, std::ostream& err,
                                const std::string& shipped_subfolder, AfterCaseErrors after) {
  auto folders = cases_folders(cases.dirs, cases.no_default, shipped_subfolder);
  if (!folders) {
    err << "condspec: " << folders.error().message << "\n";
    return std::nullopt;
  }
  auto suite = load_suite(*folders);
  if (!suite) {
    err << render(suite.error()) << "\n";
    if (after == AfterCaseErrors::nothing_ran)
      err << fmt::format("condspec: the case files in {} have errors; nothing was run\n",
                         folders_text(*folders));
    return std::nullopt;
  }
  return std::move(*suite);
}

}  // namespace condspec
