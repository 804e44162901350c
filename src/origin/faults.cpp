// The faults switched on for one origin: see faults.h. The table itself is
// in fault_table.cpp.

#include "src/origin/faults.h"

#include <fmt/format.h>

namespace condspec {
namespace {

// Visits a std::variant with one lambda per alternative; a missing
// alternative does not compile.
template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

bool is_known(std::string_view name) {
  for (const auto& fault : known_faults()) {
    if (fault.name == name) return true;
  }
  return false;
}

std::string known_fault_names() {
  std::string names;
  for (const auto& fault : known_faults()) {
    if (!names.empty()) names += ", ";
    names += fault.name;
  }
  return names;
}

}  // namespace

Result<ActiveFaults> ActiveFaults::from_names(const std::set<std::string>& names) {
  for (const auto& name : names) {
    if (!is_known(name)) {
      return Error{fmt::format("unknown fault '{}' (known: {})", name, known_fault_names())};
    }
  }
  ActiveFaults faults;
  for (const auto& fault : known_faults()) {
    if (!names.contains(std::string(fault.name))) continue;
    FaultMemory* memory = faults.memories_.emplace_back(std::make_unique<FaultMemory>()).get();
    for (const auto& hook : fault.hooks) {
      std::visit(
          Overloaded{
              [&](const AnswerStalledHeads& h) { faults.stalled_head_wait_ = h.after; },
              [&](const AnswerFirst& h) { faults.first_answers_.push_back(h); },
              [&](const ReshapeRepresentation& h) {
                faults.representation_reshapers_.emplace_back(h, memory);
              },
              [&](const RewriteRequest& h) { faults.request_rewriters_.push_back(h); },
              [&](const AnswerBeforeEvaluation& h) { faults.early_answers_.push_back(h); },
              [&](const ReadConditions& h) { faults.readers_.push_back(h); },
              [&](const ReplaceCondition& h) { faults.rules_.conditions.*h.field = h.evaluate; },
              [&](const ReorderSteps& h) { faults.rules_.steps = h.steps; },
              [&](const OverrideDecision& h) { faults.decision_overrides_.push_back(h); },
              [&](const ReadRange& h) { faults.range_reader_ = h; },
              [&](const ReshapeReply& h) { faults.reply_reshapers_.push_back(h); },
          },
          hook);
    }
  }
  return faults;
}

std::optional<Reply> ActiveFaults::answer_first(const Incoming& request, Seconds now) const {
  for (const auto& hook : first_answers_) {
    if (auto reply = hook.answer(request, now)) return reply;
  }
  return std::nullopt;
}

void ActiveFaults::reshape_representation(Representation& r, const Incoming& request) const {
  for (const auto& [hook, memory] : representation_reshapers_) hook.reshape(r, request, *memory);
}

void ActiveFaults::rewrite_request(Incoming& request, const Representation* selected) const {
  for (const auto& hook : request_rewriters_) hook.rewrite(request, selected);
}

std::optional<Reply> ActiveFaults::answer_before_evaluation(const Incoming& request,
                                                            const Representation* selected,
                                                            Seconds now) const {
  for (const auto& hook : early_answers_) {
    if (auto reply = hook.answer(request, selected, now)) return reply;
  }
  return std::nullopt;
}

Decision ActiveFaults::evaluate(std::string_view method, Fields request,
                                const RepresentationState& state) const {
  for (const auto& hook : readers_) hook.read(request, method, state);
  return evaluate_preconditions(method, request, state, rules_);
}

Decision ActiveFaults::override_decision(Decision decision, const Incoming& request,
                                         const Representation* selected) const {
  for (const auto& hook : decision_overrides_) decision = hook.decide(decision, request, selected);
  return decision;
}

RangeRequest ActiveFaults::read_range(std::string_view value, size_t length) const {
  return range_reader_.read(value, length);
}

void ActiveFaults::reshape_reply(Reply& reply, const ReplyContext& context) const {
  for (const auto& hook : reply_reshapers_) hook.reshape(reply, context);
}

}  // namespace condspec
