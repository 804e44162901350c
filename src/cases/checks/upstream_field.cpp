#include "src/cases/checks/upstream_field.h"

#include <fmt/format.h>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/cases/yaml_reading.h"

namespace condspec {

std::optional<UpstreamFieldCheck> UpstreamFieldCheck::read(const Entry& entry,
                                                           const StepReader& reader) {
  auto field = FieldCheck::read(entry, reader, "upstream_field");
  if (!field) return std::nullopt;
  return UpstreamFieldCheck{std::move(*field)};
}

std::string UpstreamFieldCheck::describe() const {
  return "in each request the cache sends upstream during this step, " + field.describe();
}

Verdict UpstreamFieldCheck::judge(const Response&, const CheckInput& in) const {
  if (!in.upstream)
    return error(field.describe(),
                 "This check judges what a cache sends upstream; it is judged only by "
                 "`condspec cache`.");
  if (in.upstream->empty()) {
    Verdict v = field.judge_fields({}, in, "");
    if (v.kind == Verdict::Kind::error) return v;
    return pass(v.expected, "no request went upstream",
                "No request went upstream during this step, so there is no field to judge.");
  }
  Verdict first;
  for (size_t i = 0; i < in.upstream->size(); ++i) {
    const auto& exchange = (*in.upstream)[i];
    const std::string holder =
        in.upstream->size() == 1
            ? std::string("The request the cache sent upstream")
            : fmt::format("Request {} of {} the cache sent upstream", i + 1, in.upstream->size());
    Verdict v = field.judge_fields(exchange.request.fields, in, holder);
    if (in.upstream->size() > 1) v.actual = fmt::format("request {}: {}", i + 1, v.actual);
    if (v.kind != Verdict::Kind::pass) return v;
    if (i == 0) first = v;
  }
  return first;
}

}  // namespace condspec
