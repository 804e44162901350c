#pragma once
// Templates in case files: "W/{{ opaque(first.etag) }}" and the like.
// Parsing happens at load time (errors carry file:line:column); rendering
// happens per step, with the responses of earlier steps of the same scenario.
//
// References (on a step id `s` of an earlier step):
//   s.status             the status code, e.g. 200
//   s.etag               the ETag field value as sent, e.g. W/"abc"
//   s.last_modified      the Last-Modified value (a date)
//   s.date               the Date value (a date)
//   s.content_length     the number of content bytes received
//   s.field.NAME         any field value (repeated lines joined by ", ")
//   now                  the tester's clock (a date)
// Functions:
//   weak(tag) strong(tag) opaque(tag)      W/"x", "x", "x" from any form of a tag
//   imf(date) rfc850(date) asctime(date)   a date in one of the three HTTP-date forms
//   shift(date, duration)                  date moved by e.g. -1d, +1s, +2h, -30m
//   lower(text) upper(text) swapcase(text)
// A date renders as IMF-fixdate unless a form function is applied.

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/model.h"
#include "src/core/clock.h"
#include "src/core/result.h"
#include "src/http/message.h"

namespace condspec {

// `where` is the location of the first character of `text` in its file; the
// locations of errors are computed from it (same line, column offset; after a
// line break in `text`, column 1 of the next line). Errors from parse_template
// and check_template are complete diagnostics: "<file>:<line>:<column>: <message>".
// parse_template also checks function names, argument counts and types.
Result<Template> parse_template(std::string_view text, const SourceLocation& where);

// Checks that every reference names an earlier step (or `now`), every field
// is known and every function exists with the right number of arguments.
// The message names the offending expression, e.g.
//   "unknown step 'frist' (earlier steps: first)".
Status check_template(const Template& t, const std::vector<std::string>& earlier_steps);

struct RenderContext {
  std::map<std::string, const Response*, std::less<>> steps;  // earlier steps by id
  Seconds now;
};

// Fails (with a reason fit for a not_applicable outcome) when a referenced
// value is absent or unusable, e.g. "step 'first' sent no ETag" or
// "step 'first' sent an invalid Last-Modified 'yesterday'". The reason carries
// no location: it is about the target's response, not the case file.
Result<std::string> render(const Template& t, const RenderContext& context);

}  // namespace condspec
