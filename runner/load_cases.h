#pragma once
// Loading the case files a command reads (the shipped ones and --cases
// folders), with the diagnostics a user sees when they cannot be read.

#include <optional>
#include <ostream>
#include <string>

#include "runner/options.h"
#include "src/cases/model.h"

namespace condspec {

// What a failed load adds after the diagnostics.
enum class AfterCaseErrors {
  nothing,      // lint, list, explain: the diagnostics are the answer
  nothing_ran,  // run, cache: say that no request was sent
};

// The suite from `cases` (with `shipped_subfolder` in place of the shipped
// cases, see cases_folders), or nullopt after writing why to `err`.
std::optional<Suite> load_cases(const CasesOptions& cases, std::ostream& err,
                                const std::string& shipped_subfolder = "",
                                AfterCaseErrors after = AfterCaseErrors::nothing);

}  // namespace condspec
