#include "src/cases/checks/date_syntax.h"

#include <fmt/format.h>

#include <vector>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/core/text.h"
#include "src/http/http_date.h"

namespace condspec {

std::optional<DateSyntaxCheck> DateSyntaxCheck::read(const Entry& entry, const StepReader& reader) {
  return DateSyntaxCheck{reader.field_names(entry)};
}

std::string DateSyntaxCheck::describe() const {
  return fmt::format("{} in IMF-fixdate form", fmt::join(fields, ", "));
}

Verdict DateSyntaxCheck::judge(const Response& response, const CheckInput& in) const {
  std::vector<std::string> present, actual_all, bad, actual_bad, problems;
  for (const auto& name : fields) {
    auto lines = response.fields.all(name);
    if (lines.empty()) continue;
    present.push_back(name);
    std::string shown = lines.size() == 1
                            ? fmt::format("{}: {}", name, lines[0])
                            : fmt::format("{} {} lines: {}", lines.size(), name, join(lines, "; "));
    actual_all.push_back(shown);
    // Each line is judged as a date; that the field is repeated at all is
    // RFC 9110 5.3's concern (one_field_line), not a date-format problem.
    std::string problem;
    for (const auto& line : lines) {
      if (is_imf_fixdate(collapse_whitespace(trim(line)))) continue;
      const std::string which = lines.size() == 1 ? name : fmt::format("One {} line", name);
      auto form = http_date_form(trim(line), in.now);
      if (form == DateForm::rfc850) {
        problem = fmt::format("{} uses the obsolete RFC 850 form instead of IMF-fixdate", which);
      } else if (form == DateForm::asctime) {
        problem = fmt::format("{} uses the obsolete asctime form instead of IMF-fixdate", which);
      } else {
        problem = fmt::format("{} is not an HTTP-date at all", which);
      }
      break;
    }
    if (!problem.empty()) {
      bad.push_back(name);
      actual_bad.push_back(shown);
      problems.push_back(problem);
    }
  }
  std::string listed = join(fields, ", ");
  if (present.empty()) {
    return pass(fmt::format("{} in IMF-fixdate form when present", listed), "none present",
                fmt::format("The response has none of {}, so there is nothing to check.", listed));
  }
  if (bad.empty()) {
    return pass(fmt::format("{} in IMF-fixdate form", join(present, ", ")), join(actual_all, "; "));
  }
  return broken(
      fmt::format("{} in IMF-fixdate form, e.g. Sun, 06 Nov 1994 08:49:37 GMT", join(bad, ", ")),
      join(actual_bad, "; "), join(problems, "; ") + ".");
}

}  // namespace condspec
