#pragma once
// The next step a reviewer takes with a failure: a curl command that sends
// the failing step's request again, as it was sent (the values the run
// learned, e.g. the ETag, filled in; secrets already [redacted] by the run).

#include <optional>
#include <string>

#include "src/engine/run_result.h"
#include "src/http/protocol.h"

namespace condspec {

// `curl -sS -i ... 'URL'` for one recorded step, over `protocol`
// (--http1.1, --http2, --http2-prior-knowledge for h2c). nullopt when curl
// cannot send that request as it was sent: a follow-up on an open
// connection, a header section split over two writes, a request framed by
// hand (Transfer-Encoding) or with an HTTP version curl does not speak; the
// raw request in the exchanges is then the way to reproduce it.
std::optional<std::string> curl_command(const StepRecord& record, Protocol protocol);

// The step whose check broke first (the one to reproduce), or null.
const StepRecord* failing_step(const ScenarioResult& result);

// The next step for a scenario that did not pass, as plain lines:
//   next step: condspec explain ID
//   reproduce step 'revalidate': curl -sS -i ...
// (or where the raw request is, when curl cannot send it as it was sent).
// In a cache run (`cache` set) the second line runs the scenario again with
// `condspec cache`: its origin was condspec, gone with the run, so a curl
// command to the cache alone would reproduce nothing.
std::string next_step_text(const TargetResult& target, const ScenarioResult& result,
                           const std::optional<CacheRunInfo>& cache);

// A word in POSIX shell quoting: 'text', with ' as '\'' (and $'...' with
// \xNN escapes when the text has control bytes).
std::string shell_quote(std::string_view text);

}  // namespace condspec
