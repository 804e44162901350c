#include "src/cases/checks/strong_etag_differs.h"

#include <fmt/format.h>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/http/entity_tag.h"

namespace condspec {

std::optional<StrongTagDiffersCheck> StrongTagDiffersCheck::read(const Entry& entry,
                                                                 const StepReader& reader) {
  auto step = reader.only_step(entry);
  if (!step) return std::nullopt;
  return StrongTagDiffersCheck{*step};
}

std::string StrongTagDiffersCheck::describe() const {
  return fmt::format("a strong ETag other than that of step '{}' when the content differs", step);
}

Verdict StrongTagDiffersCheck::judge(const Response& response, const CheckInput& in) const {
  auto there = earlier_response(in, step);
  if (!there)
    return error(fmt::format("a strong ETag other than step {}'s", step), there.error().message);
  const std::string expected = fmt::format("a strong ETag other than that of step {}", step);
  const std::string actual = show_field(response, "ETag");
  auto strong_tag = [](const Response& r) -> std::optional<EntityTag> {
    auto value = r.fields.combined("ETag");
    if (!value) return std::nullopt;
    auto tag = parse_entity_tag(*value);
    if (!tag || tag->weak) return std::nullopt;
    return tag;
  };
  auto ours = strong_tag(response);
  auto theirs = strong_tag(**there);
  if (!ours || !theirs) {
    return pass(expected, actual,
                fmt::format("This response or that of step '{}' has no strong ETag, so there is "
                            "nothing to compare.",
                            step));
  }
  if (response.content == (*there)->content) {
    return pass(
        expected, actual,
        fmt::format("The content equals that of step '{}', so the tags may be equal.", step));
  }
  if (ours->opaque != theirs->opaque) return pass(expected, actual);
  return broken(expected, actual,
                fmt::format("The content differs from that of step '{}', but both carry the "
                            "strong ETag {}.",
                            step, theirs->str()));
}

}  // namespace condspec
