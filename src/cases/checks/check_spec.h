#pragma once
// Every kind of check an expectation can hold, in one list. Each kind lives
// in its own header and source file in this folder (see kind.h for what a
// kind declares); this list is the only other place that names them.
//
// To add a kind: write its <key>.h and <key>.cpp, add the struct to
// CheckSpec below, and document its key in docs/case-format.md (a test fails
// until the documented keys and these agree). The loader, the engine and
// `explain` reach it through read_check, judge and describe, which visit
// every alternative: a kind without read, judge or describe does not compile.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "src/cases/checks/absent_fields.h"
#include "src/cases/checks/content_equals.h"
#include "src/cases/checks/content_length_consistent.h"
#include "src/cases/checks/content_length_exact.h"
#include "src/cases/checks/content_length_matches_data.h"
#include "src/cases/checks/date_near_now.h"
#include "src/cases/checks/date_syntax.h"
#include "src/cases/checks/date_whitespace.h"
#include "src/cases/checks/etag_syntax.h"
#include "src/cases/checks/exclusive_fields.h"
#include "src/cases/checks/field.h"
#include "src/cases/checks/framing_decodable.h"
#include "src/cases/checks/kind.h"
#include "src/cases/checks/last_modified_not_after_date.h"
#include "src/cases/checks/no_content.h"
#include "src/cases/checks/not_stale.h"
#include "src/cases/checks/one_field_line.h"
#include "src/cases/checks/responds.h"
#include "src/cases/checks/same_fields_as.h"
#include "src/cases/checks/status.h"
#include "src/cases/checks/stored_as_sent.h"
#include "src/cases/checks/strong_etag_differs.h"
#include "src/cases/checks/upstream_field.h"
#include "src/cases/checks/upstream_requests.h"

namespace condspec {

// In the order diagnostics list their keys.
using CheckSpec =
    std::variant<StatusCheck, FieldCheck, SameFieldsCheck, NoContentCheck, ContentCheck,
                 ContentLengthCheck, LastModifiedNotAfterDateCheck, EtagSyntaxCheck,
                 DateSyntaxCheck, DateWhitespaceCheck, DateNearNowCheck, ContentLengthExactCheck,
                 ExclusiveFieldsCheck, StoredAsSentCheck, StrongTagDiffersCheck, RespondsCheck,
                 ContentLengthMatchesDataCheck, AbsentFieldsCheck, UpstreamRequestsCheck,
                 UpstreamFieldCheck, NotStaleCheck, OneFieldLineCheck, FramingDecodableCheck>;

// The keys of every kind, in CheckSpec's order.
inline constexpr auto kCheckKeys = []<size_t... I>(std::index_sequence<I...>) {
  return std::array<std::string_view, sizeof...(I)>{
      std::variant_alternative_t<I, CheckSpec>::key...};
}
(std::make_index_sequence<std::variant_size_v<CheckSpec>>{});

// The check of kind `entry.key` (one of kCheckKeys), read from a case file;
// nullopt after reporting why not.
std::optional<CheckSpec> read_check(const Entry& entry, const StepReader& reader);

// What the check checks, in plain words (for `condspec explain`).
std::string describe(const CheckSpec& check);

// True for the kinds that judge what a cache sent upstream (they declare
// `upstream = true`); every other kind judges the response the client got.
bool judges_upstream(const CheckSpec& check);

// True for the kinds that judge the bytes after a response (no_content,
// content_length_exact), which only a follow-up on the same connection, or
// its close, brings to light.
bool judges_bytes_after_response(const CheckSpec& check);

// The verdict on the exchange in `in`. Kinds that need a response are judged
// `error` when the step got none, saying so.
Verdict judge(const CheckSpec& check, const CheckInput& in);

}  // namespace condspec
