#pragma once
// The scenario model: what cases/*.yaml say, as plain values. The loader
// builds it, the engine runs it, reports and `explain` describe it. Nothing
// here knows about YAML or sockets.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace condspec {

struct SourceLocation {
  std::string file;  // as given to the loader (relative to the cases dir's parent when possible)
  int line = 0;      // 1-based
  int column = 0;    // 1-based
  bool operator==(const SourceLocation&) const = default;
};

// BCP 14 keywords. The level decides what a broken check means:
// MUST / MUST NOT -> fail, SHOULD / SHOULD NOT -> warn, MAY -> info.
enum class Level { must, must_not, should, should_not, may };
// Every level, strongest first (the order reports list them in).
inline constexpr Level kLevels[] = {Level::must, Level::must_not, Level::should, Level::should_not,
                                    Level::may};

struct Requirement {
  std::string id;       // e.g. "9110-13.1.2-weak-compare"
  std::string rfc;      // e.g. "9110"
  std::string section;  // e.g. "13.1.2"
  Level level = Level::must;
  std::string summary;  // our own words
  std::string link;     // URL of the section
  bool observable = true;
  std::string unobservable_reason;  // set when !observable
  SourceLocation where;
};

// ---------------------------------------------------------------------------
// Templates: text with {{ expression }} placeholders, parsed at load time so
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

// ---------------------------------------------------------------------------
// Requests

// Which URL a step is sent to.
enum class Resource {
  target,   // the URL under test (default)
  unsafe,   // the writable URL given with --unsafe-url
  missing,  // a path on the target's origin that does not exist (expects 404)
};

struct RequestSpec {
  std::string method = "GET";
  Resource resource = Resource::target;
  std::string version = "HTTP/1.1";                      // or "HTTP/1.0"
  std::vector<std::pair<std::string, Template>> fields;  // in order, repeats allowed
  std::optional<Template> body;
  // split_before: the header section is sent in two writes, the second
  // beginning with the first field line of this name, after kSplitPause
  // (RFC 9110 5.3). Empty: one write. The loader checks the step sends it.
  std::string split_before;
};

// The pause between the two writes of a split header section: long enough
// for a server that acts on a partial header section to answer first, short
// enough for one that waits to be reached well within any header timeout.
inline constexpr int kSplitPauseMs = 300;

// ---------------------------------------------------------------------------
// Expectations: every one names the requirement it judges.

struct StatusCheck {  // status: 304   or   status: [200, 304]
  std::vector<int> allowed;
};

struct FieldCheck {  // field: { name: ETag, present|absent|equals|differs|matches: ... }
  enum class Op { present, absent, equals, differs, matches };
  std::string name;
  Op op = Op::present;
  Template value;  // equals, differs: template; matches: the ECMAScript regex (whole value)
};

struct SameFieldsCheck {  // same_fields_as: { step: first, fields: [ETag, Vary], compare:
                          // value|presence }
  std::string step;
  std::vector<std::string> fields;
  bool presence_only = false;  // compare: presence -> "present here whenever present there"
  // compare: value-if-present -> "the same value whenever present here": for
  // fields a response may leave out but must not change (Last-Modified in a 304).
  bool only_when_present = false;
};

struct NoContentCheck {};  // no_content: true

struct ContentCheck {  // content_equals: { step: first, range: "0-0" }
  std::string step;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> range;  // inclusive first-last
};

struct ContentLengthCheck {  // content_length_consistent: { step: first }
  std::string step;          // the 200 to the same request
};

struct LastModifiedNotAfterDateCheck {};  // last_modified_not_after_date: true

struct EtagSyntaxCheck {};  // etag_syntax: true

struct DateSyntaxCheck {  // date_syntax: [Date, Last-Modified]
  std::vector<std::string> fields;
};

struct DateWhitespaceCheck {  // date_whitespace: [Date, Last-Modified]
  std::vector<std::string> fields;
};

struct DateNearNowCheck {  // date_near_now: 300  (seconds of tolerance)
  std::int64_t tolerance_seconds = 0;
};

struct ContentLengthExactCheck {};  // content_length_exact: true

struct RespondsCheck {};  // responds: true

struct ExclusiveFieldsCheck {       // exclusive_fields: [Content-Length, Transfer-Encoding]
  std::vector<std::string> fields;  // at most one of them may be present
};

struct StoredAsSentCheck {  // stored_as_sent: { step: write }
  std::string step;         // an earlier step that sent content (a PUT)
};

struct StrongTagDiffersCheck {  // strong_etag_differs: { step: first }
  std::string step;
};

using CheckSpec =
    std::variant<StatusCheck, FieldCheck, SameFieldsCheck, NoContentCheck, ContentCheck,
                 ContentLengthCheck, LastModifiedNotAfterDateCheck, EtagSyntaxCheck,
                 DateSyntaxCheck, DateWhitespaceCheck, DateNearNowCheck, ContentLengthExactCheck,
                 ExclusiveFieldsCheck, StoredAsSentCheck, StrongTagDiffersCheck, RespondsCheck>;

struct Expectation {
  CheckSpec check;
  std::string requirement;  // an id from the catalog
  SourceLocation where;
};

struct Step {
  std::string id;
  RequestSpec request;
  // Statuses this step must get for the scenario to go on at all (e.g. the
  // unconditional GET it compares against). Not a verdict: when it does not
  // hold, the scenario ends as `not_applicable`, saying which status came.
  std::vector<int> assume_status;
  // assume: { date: "{{ current.last_modified }}" }: the response's Date
  // must be this very second, for requirements that hold only while a
  // modification is less than a second old (RFC 9110 8.8.2.2).
  std::optional<Template> assume_date;
  std::vector<Expectation> expect;
  SourceLocation where;
};

struct Scenario {
  std::string id;
  std::string title;    // reads as the requirement
  std::string why;      // optional longer explanation for `explain`
  std::string section;  // from the file
  std::string file;     // the case file it came from
  std::vector<std::string> tags;
  std::vector<std::string> needs;  // facts the target must have; see facts.h
  std::vector<Step> steps;
  SourceLocation where;

  // True when any step touches the writable URL (--unsafe-url) or uses a
  // method other than GET, HEAD or OPTIONS. Such scenarios share state, so
  // they run one at a time, including those that only read that URL.
  bool unsafe() const;
};

struct CaseFile {
  std::string path;
  std::string section;
  std::string title;
};

struct Suite {
  std::vector<Requirement> requirements;
  std::vector<CaseFile> files;
  std::vector<Scenario> scenarios;

  const Requirement* requirement(std::string_view id) const;
  const Scenario* scenario(std::string_view id) const;
};

std::string_view to_string(Level level);  // "MUST", "MUST NOT", ...
// The level to_string names; nullopt for any other text.
std::optional<Level> level_from(std::string_view text);
std::string_view to_string(Resource resource);

}  // namespace condspec
