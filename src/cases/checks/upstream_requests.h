#pragma once
// `upstream_requests: 1` or `upstream_requests: [0, 1]`: how many requests
// the origin behind the cache received for the scenario's resource during
// this step (cache scenarios, `condspec cache`). 0 means the cache answered
// from its store; the origin's own record decides, not the cache's Age or
// X-Cache.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/checks/kind.h"

namespace condspec {

struct UpstreamRequestsCheck {
  static constexpr std::string_view key = "upstream_requests";
  static constexpr bool upstream = true;  // judges the hop from the cache to the origin

  std::vector<int> allowed;

  static std::optional<UpstreamRequestsCheck> read(const Entry& entry, const StepReader& reader);
  std::string describe() const;
  Verdict judge(const Response& response, const CheckInput& in) const;
};

// `0`, `1` or a list of them: request counts from 0 to kMaxUpstreamCount,
// read for upstream_requests and for `assume: { upstream_requests: ... }`.
inline constexpr int kMaxUpstreamCount = 16;
std::optional<std::vector<int>> read_request_counts(const Entry& entry, const StepReader& reader);

// "1 upstream request", "0 or 1 upstream requests".
std::string upstream_count_text(const std::vector<int>& counts);

}  // namespace condspec
