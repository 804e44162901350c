#include "src/cases/checks/upstream_requests.h"

#include <fmt/format.h>

#include <algorithm>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/cases/yaml_reading.h"

namespace condspec {

std::optional<std::vector<int>> read_request_counts(const Entry& entry, const StepReader& reader) {
  Diagnostics& d = reader.diagnostics();
  std::vector<const YamlNode*> items;
  if (entry.value.is_sequence()) {
    items = entry.value.items();
    if (items.empty()) {
      d.add(entry.mark(), "'" + entry.key + "' must list at least one number of requests");
      return std::nullopt;
    }
  } else {
    items.push_back(&entry.value);
  }
  std::vector<int> counts;
  bool ok = true;
  for (const YamlNode* item : items) {
    auto value = parse_integer(*item);
    const YamlMark mark = item->is_null() ? entry.key_node.mark() : item->mark();
    if (!value || *value > kMaxUpstreamCount) {
      d.add(mark, fmt::format("'{}' must be a number of requests from 0 to {}, or a list of "
                              "them; got {}",
                              entry.key, kMaxUpstreamCount, describe(*item)));
      ok = false;
      continue;
    }
    counts.push_back(static_cast<int>(*value));
  }
  if (!ok) return std::nullopt;
  return counts;
}

std::string upstream_count_text(const std::vector<int>& counts) {
  std::vector<std::string> listed;
  for (int n : counts) listed.push_back(std::to_string(n));
  const bool one = counts.size() == 1 && counts[0] == 1;
  return fmt::format("{} upstream request{}", one_of(listed), one ? "" : "s");
}

std::optional<UpstreamRequestsCheck> UpstreamRequestsCheck::read(const Entry& entry,
                                                                 const StepReader& reader) {
  auto counts = read_request_counts(entry, reader);
  if (!counts) return std::nullopt;
  return UpstreamRequestsCheck{std::move(*counts)};
}

std::string UpstreamRequestsCheck::describe() const {
  return fmt::format("the origin receives {} for the resource during this step",
                     upstream_count_text(allowed));
}

Verdict UpstreamRequestsCheck::judge(const Response&, const CheckInput& in) const {
  const std::string expected = upstream_count_text(allowed);
  if (!in.upstream)
    return error(expected,
                 "This check judges what a cache sends upstream; it is judged only by "
                 "`condspec cache`.");
  const int seen = static_cast<int>(in.upstream->size());
  const std::string actual = upstream_count_text({seen});
  if (std::find(allowed.begin(), allowed.end(), seen) != allowed.end())
    return pass(expected, actual);
  std::string message;
  if (seen == 0)
    message = "The cache answered from its store: the origin received no request during this step.";
  else
    message = fmt::format("The origin received {} during this step.", actual);
  return broken(expected, actual, message);
}

}  // namespace condspec
