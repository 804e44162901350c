#pragma once
// The reference origin's faults: deliberate departures from RFC 9110, each
// breaking one requirement, so that condspec's tests can show that every
// scenario is able to fail (tests/fault_proof_test.cpp). Each fault is one
// entry of one table (fault_table.cpp): its name, the requirement it breaks,
// one line of why, and its hooks. A hook is a value naming the point of the
// origin's work it changes; the origin itself (responder.h, and the oracle in
// preconditions.h) knows no fault. Adding a fault means adding one entry.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "src/core/clock.h"
#include "src/core/result.h"
#include "src/http/fields.h"
#include "src/origin/preconditions.h"
#include "src/origin/ranges.h"
#include "src/origin/representation.h"
#include "src/origin/request_reply.h"

namespace condspec {

// --- Hook kinds, in the order the origin reaches them ---

// The transport answers a header section that stops arriving for `after`
// from the field lines that came (RFC 9110 5.3 says to wait for all of it).
struct AnswerStalledHeads {
  std::chrono::milliseconds after;
};

// An answer before the origin looks at the request's target; nullopt lets
// the origin go on.
struct AnswerFirst {
  std::function<std::optional<Reply>(const Incoming& request, Seconds now)> answer;
};

// What a fault may remember across the requests of one origin.
struct FaultMemory {
  std::atomic<uint64_t> count{0};
};

// The representation as this server builds it: its content, its tag. Called
// for each representation the origin builds: the one a request selects, and
// the one a PUT stores.
struct ReshapeRepresentation {
  std::function<void(Representation&, const Incoming& request, FaultMemory&)> reshape;
};

// The request as this server receives it, once the target's representation
// (nullptr: there is none) is known.
struct RewriteRequest {
  std::function<void(Incoming& request, const Representation* selected)> rewrite;
};

// An answer once the representation is selected (nullptr: there is none),
// before the preconditions are evaluated; nullopt lets the origin go on.
struct AnswerBeforeEvaluation {
  std::function<std::optional<Reply>(const Incoming& request, const Representation* selected,
                                     Seconds now)>
      answer;
};

// The precondition code reads the request otherwise before it evaluates it:
// a field cut short, dropped, or mapped back to what the origin sent.
struct ReadConditions {
  std::function<void(Fields& request, std::string_view method, const RepresentationState&)> read;
};

// One condition field is judged otherwise (RFC 9110 13.1), e.g. If-None-Match
// compared strongly: `field` names which evaluator `evaluate` replaces.
struct ReplaceCondition {
  ConditionEvaluator ConditionEvaluators::*field;
  ConditionEvaluator evaluate;
};

// The steps of RFC 9110 13.2.2 as this server takes them: the whole sequence,
// with a step moved, added or replaced.
struct ReorderSteps {
  std::vector<EvaluationStep> steps;
};

// The decision taken after the preconditions were evaluated.
struct OverrideDecision {
  std::function<Decision(Decision, const Incoming& request, const Representation* selected)> decide;
};

// How the Range field is read when it is to be honoured (ranges.h).
struct ReadRange {
  std::function<RangeRequest(std::string_view value, size_t length)> read;
};

// What a reply answers, for the hooks that reshape it.
struct ReplyContext {
  const Incoming& request;                   // as the server read it
  const Representation* selected = nullptr;  // the target's, when the request came
  std::optional<Decision> evaluated;         // by the preconditions, before any override
  Seconds now;
};

// The reply, last: its fields, status, content or framing flags.
struct ReshapeReply {
  std::function<void(Reply&, const ReplyContext&)> reshape;
};

using Hook = std::variant<AnswerStalledHeads, AnswerFirst, ReshapeRepresentation, RewriteRequest,
                          AnswerBeforeEvaluation, ReadConditions, ReplaceCondition, ReorderSteps,
                          OverrideDecision, ReadRange, ReshapeReply>;

// --- The table ---

struct Fault {
  std::string_view name;
  std::string_view requirement;  // the one requirement id the fault breaks
  std::string_view description;
  std::vector<Hook> hooks;
  // A second requirement the same deviation necessarily breaks, where the
  // suite has only one exchange that shows it: on a target without ETag,
  // If-None-Match "*" is the only sign that If-None-Match is evaluated at
  // all, so a server that never evaluates it also fails the "*" row there.
  std::string_view also_breaks = {};
  // Where it breaks the second one, as `serve --list-faults` says it.
  std::string_view also_breaks_where = "on a target without ETag";
  // Over which protocols it breaks the second one. Content after a response
  // that cannot have any is one deviation over every protocol, but over
  // HTTP/2 it is DATA payload, which RFC 9113 8.1.1 forbids in a row of its
  // own; over HTTP/1.1 that row is not judged.
  enum class Over { every_protocol, http2 };
  Over also_breaks_over = Over::every_protocol;
};

// Every fault, in the order `condspec serve --list-faults` shows them.
const std::vector<Fault>& known_faults();

// The faults switched on for one origin, their hooks gathered by kind, and
// each point of the origin's work where a hook may act. Without faults, each
// point does what RFC 9110 says. Meant to be used one fault at a time; with
// several, hooks of the same kind apply in table order, and a later step
// sequence, evaluator or Range reader replaces an earlier one.
class ActiveFaults {
 public:
  // Errors: a name not in known_faults().
  static Result<ActiveFaults> from_names(const std::set<std::string>& names);

  std::optional<std::chrono::milliseconds> stalled_head_wait() const { return stalled_head_wait_; }
  std::optional<Reply> answer_first(const Incoming& request, Seconds now) const;
  void reshape_representation(Representation& r, const Incoming& request) const;
  void rewrite_request(Incoming& request, const Representation* selected) const;
  std::optional<Reply> answer_before_evaluation(const Incoming& request,
                                                const Representation* selected, Seconds now) const;
  // The preconditions as this server evaluates them (preconditions.h).
  Decision evaluate(std::string_view method, Fields request,
                    const RepresentationState& state) const;
  Decision override_decision(Decision decision, const Incoming& request,
                             const Representation* selected) const;
  RangeRequest read_range(std::string_view value, size_t length) const;
  void reshape_reply(Reply& reply, const ReplyContext& context) const;

 private:
  std::optional<std::chrono::milliseconds> stalled_head_wait_;
  std::vector<AnswerFirst> first_answers_;
  // Each with the memory of its fault.
  std::vector<std::pair<ReshapeRepresentation, FaultMemory*>> representation_reshapers_;
  std::vector<RewriteRequest> request_rewriters_;
  std::vector<AnswerBeforeEvaluation> early_answers_;
  std::vector<ReadConditions> readers_;
  PreconditionRules rules_;
  std::vector<OverrideDecision> decision_overrides_;
  ReadRange range_reader_{parse_range};
  std::vector<ReshapeReply> reply_reshapers_;
  std::vector<std::unique_ptr<FaultMemory>> memories_;  // one per fault switched on
};

}  // namespace condspec
