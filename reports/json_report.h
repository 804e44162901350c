#pragma once
// The JSON report: the complete RunResult, versioned (schema_version) and
// documented in docs/json-report.md. Other tools (and `condspec merge`, later)
// read it, so fields are only ever added within a schema version.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "src/engine/gate.h"
#include "src/engine/run_result.h"
#include "src/http/message.h"

namespace condspec {

constexpr int kJsonSchemaVersion = 1;

std::string render_json_report(const RunResult& run, FailOn fail_on);

// The same text, handed to `sink` piece by piece: one target at a time, so
// a report of many targets is never held whole, as text or as a document.
void render_json_report(const RunResult& run, FailOn fail_on,
                        const std::function<void(std::string_view)>& sink);

// The values of an exchange's "framing" field: "no_content",
// "content_length", "chunked", "close_delimited", "end_stream" (HTTP/2).
// framing_from reads them back (nullopt for any other text).
std::string_view framing_name(Framing framing);
std::optional<Framing> framing_from(std::string_view name);

}  // namespace condspec
