#pragma once
// The reference origin's answers, whatever the transport: an Incoming request
// and the injected clock give a Reply (request_reply.h). The resources are
// those of resources.h; preconditions are the oracle's (preconditions.h),
// evaluated only where the answer would otherwise be 2xx (RFC 9110 13.2.1);
// the replies are those of replies.h. The faults switched on act through
// their hooks at the points named in faults.h, and nowhere else.
//
// Safe to call from several threads at once, as transports do.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

#include "src/core/clock.h"
#include "src/origin/faults.h"
#include "src/origin/request_reply.h"
#include "src/origin/resources.h"

namespace condspec {

class Responder {
 public:
  Responder(const Clock& clock, ActiveFaults faults) : clock_(clock), faults_(std::move(faults)) {}
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;

  Reply respond(const Incoming& request);

  // The reply to a request that the transport refused by itself (e.g. 400
  // for a malformed request line), as this origin would shape it: the
  // transport takes its Date.
  Reply transport_error(int status) const;

  // How long the transport waits for the rest of a header section that
  // stops arriving before it answers what came (a fault); nullopt: it waits
  // for the whole header section, as RFC 9110 5.3 requires.
  std::optional<std::chrono::milliseconds> stalled_head_wait() const {
    return faults_.stalled_head_wait();
  }

 private:
  struct Answering;  // what the reply hooks see; see responder.cpp

  Reply answer(const Incoming& received, Seconds now, Answering& answering);
  Reply answer_static(const Incoming& received, Seconds now, Answering& answering) const;
  Reply answer_writable(const Incoming& received, Seconds now, Answering& answering);
  Reply retrieve(const Incoming& request, const Representation& r, Seconds now,
                 Answering& answering) const;
  Reply ranged_reply(const Incoming& request, const Representation& r, Seconds now) const;
  Reply perform(const Incoming& request, const std::optional<Representation>& previous,
                Seconds now);
  Representation stored_representation(const Incoming& request) const;

  const Clock& clock_;
  const ActiveFaults faults_;
  std::mutex writable_mutex_;  // guards writable_ for a whole request
  std::optional<StoredWritable> writable_;
  // Requests answered from a static resource, so far: what /generated's
  // content names.
  mutable std::atomic<std::uint64_t> static_requests_{0};
};

}  // namespace condspec
