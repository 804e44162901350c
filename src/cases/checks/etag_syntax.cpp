#include "src/cases/checks/etag_syntax.h"

#include <fmt/format.h>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/cases/yaml_reading.h"
#include "src/http/entity_tag.h"

namespace condspec {

std::optional<EtagSyntaxCheck> EtagSyntaxCheck::read(const Entry& entry, const StepReader& reader) {
  if (!read_true(entry, reader.diagnostics())) return std::nullopt;
  return EtagSyntaxCheck{};
}

std::string EtagSyntaxCheck::describe() const {
  return "ETag is one valid entity-tag";
}

Verdict EtagSyntaxCheck::judge(const Response& response, const CheckInput& /*in*/) const {
  const std::string expected = "ETag absent or one entity-tag, e.g. \"xyz\" or W/\"xyz\"";
  auto lines = response.fields.all("ETag");
  if (lines.empty()) {
    return pass(expected, "ETag absent", "The response has no ETag, so there is nothing to check.");
  }
  if (lines.size() > 1) {
    return broken(expected, fmt::format("{} ETag lines: {}", lines.size(), join(lines, "; ")),
                  fmt::format("The response has {} ETag field lines, but an ETag holds exactly "
                              "one entity-tag.",
                              lines.size()));
  }
  std::string actual = "ETag: " + lines[0];
  if (parse_entity_tag(lines[0])) return pass(expected, actual);
  return broken(expected, actual,
                "The ETag value is not an entity-tag: an optional W/ followed by a "
                "double-quoted string without spaces or quotes.");
}

}  // namespace condspec
