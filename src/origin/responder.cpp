// The reference origin's answers: see responder.h.

#include "src/origin/responder.h"

#include "src/http/http_date.h"
#include "src/origin/content_coding.h"
#include "src/origin/replies.h"

namespace condspec {
namespace {

constexpr std::string_view kStaticMethods = "GET, HEAD, OPTIONS";
constexpr std::string_view kWritableMethods = "GET, HEAD, PUT, DELETE, OPTIONS";

const Representation* pointer_to(const std::optional<Representation>& r) {
  return r ? &*r : nullptr;
}

}  // namespace

struct Responder::Answering {
  Incoming request;  // as the server read it
  std::optional<Representation> selected;
  std::optional<Decision> evaluated;
};

Reply Responder::respond(const Incoming& request) {
  const Seconds now = clock_.now();
  Answering answering{.request = request};
  Reply reply = answer(request, now, answering);
  faults_.reshape_reply(reply, {.request = answering.request,
                                .selected = pointer_to(answering.selected),
                                .evaluated = answering.evaluated,
                                .now = now});
  return reply;
}

Reply Responder::transport_error(int status) const {
  const Seconds now = clock_.now();
  Reply reply = bare_reply(status, now);
  const Incoming none;
  faults_.reshape_reply(reply, {.request = none, .now = now});
  return reply;
}

Reply Responder::answer(const Incoming& received, Seconds now, Answering& answering) {
  if (auto early = faults_.answer_first(received, now)) return *early;
  if (received.path == kWritablePath) return answer_writable(received, now, answering);
  if (is_static_resource(received.path)) return answer_static(received, now, answering);
  if (received.method == "OPTIONS" && received.path == "*") {
    return allow_reply(204, kWritableMethods, now);
  }
  return bare_reply(404, now);
}

Reply Responder::answer_static(const Incoming& received, Seconds now, Answering& answering) const {
  if (received.method == "OPTIONS") return allow_reply(204, kStaticMethods, now);
  // 13.2.1: preconditions are evaluated only when the answer would otherwise
  // be 2xx, so a 405 ignores them.
  if (received.method != "GET" && received.method != "HEAD") {
    return allow_reply(405, kStaticMethods, now);
  }
  Representation r = static_representation(
      received.path, accepts_gzip(received.fields.combined("Accept-Encoding")), ++static_requests_);
  faults_.reshape_representation(r, received);
  Incoming request = received;
  faults_.rewrite_request(request, &r);
  return retrieve(request, r, now, answering);
}

Reply Responder::answer_writable(const Incoming& received, Seconds now, Answering& answering) {
  const auto& method = received.method;
  if (method == "OPTIONS") return allow_reply(204, kWritableMethods, now);
  if (method != "GET" && method != "HEAD" && method != "PUT" && method != "DELETE") {
    return allow_reply(405, kWritableMethods, now);
  }
  std::lock_guard lock(writable_mutex_);
  std::optional<Representation> current;
  if (writable_) current = stored_representation(received);
  Incoming request = received;
  faults_.rewrite_request(request, pointer_to(current));
  // 13.2.1: a 404 outranks every precondition.
  if (method == "GET" || method == "HEAD") {
    return current ? retrieve(request, *current, now, answering) : bare_reply(404, now);
  }
  if (method == "DELETE" && !current) return bare_reply(404, now);

  answering.request = request;
  answering.selected = current;
  if (auto early = faults_.answer_before_evaluation(request, pointer_to(current), now)) {
    return *early;
  }
  const Decision evaluated =
      faults_.evaluate(method, request.fields, state_of(pointer_to(current), now));
  answering.evaluated = evaluated;
  switch (faults_.override_decision(evaluated, request, pointer_to(current))) {
    case Decision::not_modified:  // for PUT or DELETE, only ever a fault's decision
      return not_modified_reply(current.value_or(Representation{}), now);
    case Decision::precondition_failed:
      return bare_reply(412, now);
    case Decision::partial:
    case Decision::proceed:
      break;
  }
  return perform(request, current, now);
}

// GET or HEAD of an existing representation.
Reply Responder::retrieve(const Incoming& request, const Representation& r, Seconds now,
                          Answering& answering) const {
  answering.request = request;
  answering.selected = r;
  if (auto early = faults_.answer_before_evaluation(request, &r, now)) return *early;
  const Decision evaluated = faults_.evaluate(request.method, request.fields, state_of(&r, now));
  answering.evaluated = evaluated;
  switch (faults_.override_decision(evaluated, request, &r)) {
    case Decision::precondition_failed:
      return bare_reply(412, now);
    case Decision::not_modified:
      return not_modified_reply(r, now);
    case Decision::partial:
      return ranged_reply(request, r, now);
    case Decision::proceed:
      break;
  }
  return full_reply(r, request.method == "HEAD", now);
}

// 14.2: the one range asked for (206), 416 if it is beyond the end, or the
// whole representation (200) when the Range field is to be ignored.
Reply Responder::ranged_reply(const Incoming& request, const Representation& r, Seconds now) const {
  const bool head = request.method == "HEAD";
  auto range = faults_.read_range(request.fields.combined("Range").value_or(""), r.content.size());
  switch (range.kind) {
    case RangeRequest::unsatisfiable:
      return range_not_satisfiable_reply(r, now);
    case RangeRequest::single:
      return partial_reply(r, range, request.fields.has("If-Range"), head, now);
    case RangeRequest::ignore:
      break;
  }
  return full_reply(r, head, now);
}

// Performs a PUT or DELETE of /writable; the caller holds writable_mutex_.
Reply Responder::perform(const Incoming& request, const std::optional<Representation>& previous,
                         Seconds now) {
  if (request.method == "DELETE") {
    writable_.reset();
    return bare_reply(204, now);
  }
  const std::string* type = request.fields.find("Content-Type");
  const bool again_this_second = previous && writable_ && writable_->modified == now;
  writable_ = StoredWritable{.content = request.body,
                             .content_type = type ? *type : "application/octet-stream",
                             .modified = now,
                             .changed_twice_within_modified = again_this_second};
  // 9.3.4: the content is stored as sent, so the new validators may be sent.
  Reply reply = bare_reply(previous ? 204 : 201, now);
  reply.fields.add("ETag", stored_representation(request).etag->str());
  reply.fields.add("Last-Modified", format_imf_fixdate(now));
  return reply;
}

// What /writable holds, as this server represents it; writable_ is set.
Representation Responder::stored_representation(const Incoming& request) const {
  Representation r = writable_representation(*writable_);
  faults_.reshape_representation(r, request);
  return r;
}

}  // namespace condspec
