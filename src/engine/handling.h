#pragma once
// How a cache dealt with a broken origin: the `handling:` of a cache
// scenario (model.h's HandlingSpec) turned into a finding from evidence, the
// response the client got at the handling step and the requests the cache
// sent the origin up to it. Beside the verdict, never part of it.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "src/cases/checks/judge.h"
#include "src/cases/model.h"
#include "src/engine/run_result.h"
#include "src/http/upstream_exchange.h"

namespace condspec {

// What went upstream during one step, by step id, in the order the steps ran.
using UpstreamByStep = std::vector<std::pair<std::string, const std::vector<UpstreamExchange>*>>;

// `judged` is the handling step's response as its checks see it; `upstream`
// holds every step up to and including the handling step.
//   - refetched: the repaired checks hold, and after the origin's first 304
//     the cache sent it a request without If-None-Match or If-Modified-Since;
//   - repaired: the repaired checks hold otherwise;
//   - passed-through: they do not, and the passed_through checks all do;
//   - damaged: neither (also when the step got no response).
// With `connection`, the detail says whether the cache sent the handling
// step's request upstream on the connection the 304 of that step came on
// ("connection not reused: ..." when it did not).
Handling find_handling(const HandlingSpec& spec, const CheckInput& judged,
                       const UpstreamByStep& upstream);

}  // namespace condspec
