#include "src/cases/checks/one_field_line.h"

#include <fmt/format.h>

#include <vector>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"

namespace condspec {

std::optional<OneFieldLineCheck> OneFieldLineCheck::read(const Entry& entry,
                                                         const StepReader& reader) {
  OneFieldLineCheck check{reader.field_names(entry)};
  if (check.fields.empty()) return std::nullopt;  // field_names said why
  return check;
}

std::string OneFieldLineCheck::describe() const {
  return fmt::format("{} each on one field line when present", fmt::join(fields, ", "));
}

Verdict OneFieldLineCheck::judge(const Response& response, const CheckInput& /*in*/) const {
  std::vector<std::string> repeated, shown, problems;
  for (const auto& name : fields) {
    const auto lines = response.fields.all(name);
    if (lines.size() < 2) continue;
    repeated.push_back(name);
    shown.push_back(fmt::format("{} {} lines: {}", lines.size(), name, join(lines, "; ")));
    problems.push_back(fmt::format("{} appears on {} field lines", name, lines.size()));
  }
  const std::string expected = fmt::format("{} on one field line each", join_and(fields));
  if (repeated.empty()) return pass(expected, "no field repeated");
  return broken(expected, join(shown, "; "),
                fmt::format("{}; a field that is not a list is sent once (RFC 9110 5.3).",
                            join(problems, "; ")));
}

}  // namespace condspec
