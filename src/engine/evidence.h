#pragma once
// What a run keeps of an exchange once its scenario (or discovery) is
// judged: what the reports show (docs/json-report.md) and nothing else. The
// content itself and the parsed fields served the checks; the reports show
// the content's size and the response head as received, so a run of many
// targets holds a few KiB per exchange instead of every byte of content.

#include "src/engine/run_result.h"

namespace condspec {

// Drops the content (keeping its size: Response::content_size) and the
// parsed fields and trailers (the head keeps them as received), and frees
// spare capacity.
void keep_only_what_reports_show(StepRecord& record);
void keep_only_what_reports_show(ScenarioResult& result);

}  // namespace condspec
