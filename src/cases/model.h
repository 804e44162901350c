#pragma once
// The scenario model: what cases/*.yaml say, as plain values. The loader
// builds it, the engine runs it, reports and `explain` describe it. Nothing
// here knows about YAML or sockets (the check kinds of src/cases/checks/ name
// the types their reader and judge take, and no more).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "src/cases/checks/check_spec.h"
#include "src/cases/diagnostic.h"
#include "src/cases/template.h"
#include "src/http/protocol.h"

namespace condspec {

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

// What the origin behind a cache under test answers for the scenario's
// resource from a step on (`origin:` in a cache scenario, docs/cache.md):
// values are templates rendered when the step starts, and stay as rendered
// until a later step scripts the resource again.
struct OriginSpec {
  int status = 200;
  std::vector<std::pair<std::string, Template>> fields;  // of the full response, in order
  std::optional<Template> body;                          // nullopt: a line naming the scenario
  // `not_modified_headers`: the exact fields of its 304s; nullopt: the full
  // response's fields without representation metadata.
  std::optional<std::vector<std::pair<std::string, Template>>> not_modified_fields;
  std::string fault;  // a fault of the reference origin; empty: none
  SourceLocation fault_where;
};

// The longest `pause` a step may take: freshness in cache scenarios is driven
// by the origin (max-age=1, Age, a past Date), never by long waits.
inline constexpr int kMaxPauseMs = 2000;

// ---------------------------------------------------------------------------
// Expectations: every one names the requirement it judges. The kinds of
// check are in src/cases/checks/ (check_spec.h lists them).

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
  // assume: { last_modified: "{{ store_a.date }}" }: the response's
  // Last-Modified must name this very second, e.g. that the resource's last
  // change fell in the second its first change was answered (two changes
  // within one second, RFC 9110 8.8.2.2), asked of the resource itself
  // instead of timing more requests.
  std::optional<Template> assume_last_modified;
  // assume: { reason: "..." }: what the not_applicable reason adds when the
  // date or last_modified assumption fails, in the scenario's own words
  // (e.g. that it needs two changes within one second, which a slow link
  // cannot give).
  std::string assume_reason;
  // Cache scenarios only: the origin's script from this step on; a pause
  // before the request; and what must hold of the requests the cache sent
  // upstream during the step for the scenario to go on (how many; whether
  // one was a validation, i.e. conditional).
  std::optional<OriginSpec> origin;
  int pause_ms = 0;
  std::vector<int> assume_upstream_requests;
  std::optional<bool> assume_upstream_conditional;
  std::vector<Expectation> expect;
  SourceLocation where;
};

// `handling:` of a cache scenario about a broken origin (docs/cache.md): how
// the cache dealt with what the origin broke, told from evidence: what the
// client got at `step`, and what went upstream up to it. Not a verdict; the
// engine reports one of passed-through, repaired, refetched or damaged.
struct HandlingSpec {
  std::string step;  // the step whose response shows the handling
  // All hold of that response: the client got a correct answer (repaired,
  // or refetched when the cache asked the origin again without conditionals
  // after its 304).
  std::vector<CheckSpec> repaired;
  // All hold (and the list is not empty): the client got the broken thing
  // as the origin sent it. Neither list holding: damaged.
  std::vector<CheckSpec> passed_through;
  // Set: the step whose upstream 304 carried stray bytes; the handling then
  // says whether the cache sent `step`'s upstream request on that connection.
  std::string connection;
  SourceLocation where;
};

struct Scenario {
  std::string id;
  std::string title;    // reads as the requirement
  std::string why;      // optional longer explanation for `explain`
  std::string section;  // from the file
  // The RFC of `section`: that of a requirement it judges in its own section,
  // else the <rfc>- its file name starts with, else that of its first
  // requirement (a 9110-15.4.5 scenario judged by a 9111 row is still about
  // RFC 9110 15.4.5). Set by the loader; reports name and sort sections by it.
  std::string rfc;
  std::string file;  // the case file it came from
  std::vector<std::string> tags;
  std::vector<std::string> needs;  // facts the target must have; see facts.h
  // The protocols it is judged over, in kProtocols order: those its case
  // file lists under `protocols`, or else every protocol it can be judged
  // over (protocol_bounds.h). Never empty once loaded.
  std::vector<Protocol> protocols{kProtocols.begin(), kProtocols.end()};
  bool protocols_stated = false;  // listed in the case file, not derived
  std::vector<Step> steps;
  std::optional<HandlingSpec> handling;
  SourceLocation where;

  // True when any step touches the writable URL (--unsafe-url) or uses a
  // method other than GET, HEAD or OPTIONS. Such scenarios share state, so
  // they run one at a time, including those that only read that URL.
  bool unsafe() const;
  // True for a scenario about a cache (`condspec cache`): its first step
  // scripts the origin behind the cache.
  bool cache() const { return !steps.empty() && steps.front().origin.has_value(); }
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
