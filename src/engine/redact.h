#pragma once
// Secrets never reach a report: the values of Authorization,
// Proxy-Authorization and Cookie request fields, and any extra value the
// user names, are replaced by "[redacted]" in every recorded byte string
// before anything is rendered.

#include <string>
#include <string_view>
#include <vector>

#include "src/engine/run_result.h"

namespace condspec {

constexpr std::string_view kRedacted = "[redacted]";

// Authorization, Proxy-Authorization and Cookie (any case).
bool is_credential_field(std::string_view name);

// Redacts one raw HTTP message head (request or response bytes).
std::string redact_message(std::string_view bytes, const std::vector<std::string>& secrets);
void redact_run(RunResult& run, const std::vector<std::string>& secrets);

}  // namespace condspec
