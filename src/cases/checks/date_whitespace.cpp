#include "src/cases/checks/date_whitespace.h"

#include <fmt/format.h>

#include <vector>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/core/text.h"
#include "src/http/http_date.h"

namespace condspec {

std::optional<DateWhitespaceCheck> DateWhitespaceCheck::read(const Entry& entry,
                                                             const StepReader& reader) {
  return DateWhitespaceCheck{reader.field_names(entry)};
}

std::string DateWhitespaceCheck::describe() const {
  return fmt::format("{} without whitespace beyond the single spaces of an HTTP-date",
                     fmt::join(fields, ", "));
}

Verdict DateWhitespaceCheck::judge(const Response& response, const CheckInput& in) const {
  std::vector<std::string> checked, shown_all, bad, shown_bad;
  for (const auto& name : fields) {
    auto lines = response.fields.all(name);
    if (lines.size() != 1) continue;  // absent, or repeated (one_field_line)
    auto value = trim(lines[0]);
    // Only a value that is a date once its whitespace is tidied is judged
    // here; anything else is not a date at all (date_syntax says so).
    if (!parse_http_date(collapse_whitespace(value), in.now)) continue;
    std::string shown = fmt::format("{}: \"{}\"", name, printable(value));
    checked.push_back(name);
    shown_all.push_back(shown);
    if (value != collapse_whitespace(value)) {
      bad.push_back(name);
      shown_bad.push_back(shown);
    }
  }
  std::string listed = join(fields, ", ");
  if (checked.empty()) {
    return pass(
        fmt::format("{} without extra whitespace when present", listed), "none present",
        fmt::format("The response has no date in {}, so there is nothing to check.", listed));
  }
  if (bad.empty()) {
    return pass(fmt::format("{} without extra whitespace", join(checked, ", ")),
                join(shown_all, "; "));
  }
  return broken(fmt::format("{} with single spaces only, e.g. Sun, 06 Nov 1994 08:49:37 GMT",
                            join(bad, ", ")),
                join(shown_bad, "; "),
                fmt::format("{} {} whitespace beyond the single spaces of the HTTP-date grammar.",
                            join_and(bad), bad.size() == 1 ? "contains" : "contain"));
}

}  // namespace condspec
