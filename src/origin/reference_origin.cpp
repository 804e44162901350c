// The reference origin: the responder served over HTTP/1.1 or h2c. See
// reference_origin.h.

#include "src/origin/reference_origin.h"

#include <fmt/format.h>

#include <atomic>

#include "src/origin/http1_server.h"
#include "src/origin/http2_server.h"
#include "src/origin/responder.h"

namespace condspec {

struct ReferenceOrigin::Impl {
  Impl(OriginOptions opts, ActiveFaults faults)
      : options(std::move(opts)),
        clock(options.clock ? options.clock : &system_clock),
        responder(*clock, std::move(faults)) {}

  OriginOptions options;
  SystemClock system_clock;
  const Clock* clock;
  Responder responder;
  std::unique_ptr<Http1Server> server;
  std::unique_ptr<Http2Server> http2_server;
  std::string certificate_pem;  // over h2
  std::atomic<size_t> answered{0};
};

ReferenceOrigin::ReferenceOrigin(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ReferenceOrigin::~ReferenceOrigin() {
  stop();
}

Result<std::unique_ptr<ReferenceOrigin>> ReferenceOrigin::start(OriginOptions options) {
  auto faults = ActiveFaults::from_names(options.faults);
  if (!faults) return faults.error();
  auto impl = std::make_unique<Impl>(std::move(options), std::move(*faults));
  Responder& responder = impl->responder;
  std::atomic<size_t>& answered = impl->answered;
  if (impl->options.protocol != Protocol::http1_1) {
    std::optional<TlsIdentity> tls;
    if (impl->options.protocol == Protocol::h2) {
      auto identity = make_self_signed_identity();
      if (!identity) return identity.error();
      tls = *identity;
      impl->certificate_pem = identity->certificate_pem;
    }
    auto server = Http2Server::start(
        {.host = impl->options.host, .port = impl->options.port, .tls = std::move(tls)},
        [&responder, &answered](const Incoming& request) {
          ++answered;
          return responder.respond(request);
        });
    if (!server) return server.error();
    impl->http2_server = std::move(*server);
    return std::unique_ptr<ReferenceOrigin>(new ReferenceOrigin(std::move(impl)));
  }
  auto server = Http1Server::start(
      {.host = impl->options.host,
       .port = impl->options.port,
       .stalled_head_wait = responder.stalled_head_wait()},
      {.respond =
           [&responder, &answered](const Incoming& request) {
             ++answered;
             return responder.respond(request);
           },
       .transport_error = [&responder](int status) { return responder.transport_error(status); }});
  if (!server) return server.error();
  impl->server = std::move(*server);
  return std::unique_ptr<ReferenceOrigin>(new ReferenceOrigin(std::move(impl)));
}

int ReferenceOrigin::port() const {
  return impl_->http2_server ? impl_->http2_server->port() : impl_->server->port();
}

std::string ReferenceOrigin::base_url() const {
  const auto& host = impl_->options.host;
  const char* scheme = impl_->options.protocol == Protocol::h2 ? "https" : "http";
  bool ipv6 = host.find(':') != std::string::npos;
  if (ipv6) return fmt::format("{}://[{}]:{}", scheme, host, port());
  return fmt::format("{}://{}:{}", scheme, host, port());
}

std::string ReferenceOrigin::certificate_pem() const {
  return impl_->certificate_pem;
}

size_t ReferenceOrigin::requests_answered() const {
  return impl_->answered.load();
}

void ReferenceOrigin::stop() {
  if (impl_ && impl_->server) impl_->server->stop();
  if (impl_ && impl_->http2_server) impl_->http2_server->stop();
}

}  // namespace condspec
