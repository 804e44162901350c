#include "src/cases/checks/exclusive_fields.h"

#include <fmt/format.h>

#include <vector>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"

namespace condspec {

std::optional<ExclusiveFieldsCheck> ExclusiveFieldsCheck::read(const Entry& entry,
                                                               const StepReader& reader) {
  ExclusiveFieldsCheck check{reader.field_names(entry)};
  if (check.fields.size() == 1)
    reader.diagnostics().add(entry.mark(), "'exclusive_fields' must list at least two field names");
  return check;
}

std::string ExclusiveFieldsCheck::describe() const {
  return fmt::format("at most one of {}", fmt::join(fields, ", "));
}

Verdict ExclusiveFieldsCheck::judge(const Response& response, const CheckInput& /*in*/) const {
  std::vector<std::string> present, shown;
  for (const auto& name : fields) {
    if (!response.fields.has(name)) continue;
    present.push_back(name);
    shown.push_back(show_field(response, name));
  }
  const std::string expected = "at most one of " + join(fields, ", ");
  if (present.size() <= 1) {
    return pass(expected, present.empty() ? "none present" : join(shown, "; "));
  }
  return broken(expected, join(shown, "; "),
                fmt::format("The response carries {}, but at most one of them may be sent.",
                            join_and(present)));
}

}  // namespace condspec
