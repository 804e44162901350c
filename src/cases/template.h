#pragma once
// Templates in case files: "W/{{ opaque(first.etag) }}" and the like.
// Parsing happens at load time (errors are located diagnostics); rendering
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

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/cases/diagnostic.h"
#include "src/core/clock.h"
#include "src/core/result.h"
#include "src/http/message.h"

namespace condspec {

// A template: text with {{ expression }} placeholders, parsed at load time so
// mistakes are reported with file:line:column before anything is sent.
//
// expression := reference | call | string | duration     (spaces allowed between tokens)
// reference  := NAME ( "." NAME )*          e.g. first.etag, first.field.Cache-Control, now
// call       := NAME "(" [ expression ( "," expression )* ] ")"   e.g. weak(first.etag)
// string     := "'" any characters but "'" "'"     (single quotes: ETags are full of ")
// duration   := ( "+" | "-" ) DIGITS ( "s" | "m" | "h" | "d" )  e.g. -1d, +1s (sign required)
// NAME       := ( ALPHA | DIGIT | "_" ) ( ALPHA | DIGIT | "_" | "-" )*
struct Expression {
  enum class Kind { reference, call, string, duration };
  Kind kind = Kind::string;
  std::vector<std::string> path;      // reference: e.g. {"first", "etag"}
  std::string name;                   // call: function name
  std::vector<Expression> arguments;  // call
  std::string text;                   // string literal value; a duration as written
  std::int64_t seconds = 0;           // duration
  SourceLocation where;
};

struct Template {
  struct Piece {
    std::string literal;                   // used when !expression
    std::optional<Expression> expression;  // a {{ ... }} placeholder
  };
  std::vector<Piece> pieces;
  std::string source;  // the text as written
  SourceLocation where;
  bool is_literal() const {
    for (const auto& p : pieces)
      if (p.expression) return false;
    return true;
  }
};

// `where` is the location of the first character of `text` in its file; the
// locations of errors are computed from it (same line, column offset; after a
// line break in `text`, column 1 of the next line). An error is a Diagnostic
// at the offending character, without its source line (the parser does not
// see the file; the loader adds it). parse_template also checks function
// names, argument counts and types.
Result<Template, Diagnostic> parse_template(std::string_view text, const SourceLocation& where);

// Checks that every reference names an earlier step (or `now`), every field
// is known and every function exists with the right number of arguments.
// The message names the offending expression, e.g.
//   "unknown step 'frist' (earlier steps: first)".
Result<Ok, Diagnostic> check_template(const Template& t,
                                      const std::vector<std::string>& earlier_steps);

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
