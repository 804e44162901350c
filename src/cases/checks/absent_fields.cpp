#include "src/cases/checks/absent_fields.h"

#include <fmt/format.h>

#include <vector>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"

namespace condspec {

std::optional<AbsentFieldsCheck> AbsentFieldsCheck::read(const Entry& entry,
                                                         const StepReader& reader) {
  AbsentFieldsCheck check{reader.field_names(entry)};
  if (check.fields.empty()) return std::nullopt;  // field_names said why
  return check;
}

std::string AbsentFieldsCheck::describe() const {
  return fmt::format("none of {}", fmt::join(fields, ", "));
}

Verdict AbsentFieldsCheck::judge(const Response& response, const CheckInput& /*in*/) const {
  std::vector<std::string> present, shown;
  for (const auto& name : fields) {
    if (!response.fields.has(name)) continue;
    present.push_back(name);
    shown.push_back(show_field(response, name));
  }
  const std::string expected = "none of " + join(fields, ", ");
  if (present.empty()) return pass(expected, "none present");
  return broken(expected, join(shown, "; "),
                fmt::format("The response carries {}, which it must not.", join_and(present)));
}

}  // namespace condspec
