// The origin behind a cache under test: see instrumented_origin.h.

#include "src/origin/instrumented_origin.h"

#include <fmt/format.h>

#include <map>
#include <mutex>
#include <random>
#include <set>

#include "src/http/http_date.h"
#include "src/origin/http1_server.h"
#include "src/origin/replies.h"

namespace condspec {
namespace {

// What one name answers with, and its record.
struct Resource {
  std::shared_ptr<const OriginScript> script;
  std::shared_ptr<const ActiveFaults> faults;
  std::vector<UpstreamExchange> record;
};

UpstreamExchange record_of(const Incoming& incoming, const Reply& reply) {
  UpstreamExchange exchange;
  exchange.request.method = incoming.method;
  exchange.request.target = incoming.path;
  exchange.request.version = incoming.version;
  exchange.request.fields = incoming.fields;
  exchange.request.body = incoming.body;
  Response& response = exchange.response;
  response.version = "HTTP/1.1";
  response.status = reply.status;
  response.reason = reason_phrase(reply.status);
  response.fields = reply.fields;
  response.head = response_head_text(reply.status, reply.fields);
  response.content = reply.content;
  response.framing = reply.content.empty() ? Framing::no_content : Framing::content_length;
  return exchange;
}

}  // namespace

std::string fresh_run_id() {
  std::random_device random;
  std::string id;
  for (int i = 0; i < 4; ++i) id += fmt::format("{:08x}", static_cast<uint32_t>(random()));
  return id;
}

struct InstrumentedOrigin::Impl {
  explicit Impl(InstrumentedOriginOptions opts)
      : options(std::move(opts)), clock(options.clock ? options.clock : &system_clock) {
    if (options.run_id.empty()) options.run_id = fresh_run_id();
    prefix = "/c/" + options.run_id + "/";
  }

  InstrumentedOriginOptions options;
  SystemClock system_clock;
  const Clock* clock;
  std::string prefix;
  mutable std::mutex mutex;
  std::map<std::string, Resource, std::less<>> resources;
  size_t under_prefix = 0;
  size_t outside_prefix = 0;
  // The number of each connection a request came on, in the order their
  // first request came (the server's own numbers count every connection of
  // the process: these start at 1 for each origin).
  std::map<int, int> connections;

  int connection_number(int accepted) {
    if (accepted == 0) return 0;
    auto [it, added] = connections.emplace(accepted, static_cast<int>(connections.size()) + 1);
    return it->second;
  }
  std::unique_ptr<Http1Server> server;

  Reply respond(const Incoming& incoming) {
    const Seconds now = clock->now();
    std::string path = incoming.path.substr(0, incoming.path.find('?'));
    const size_t at = path.find(prefix);
    std::lock_guard lock(mutex);
    if (at == std::string::npos) {
      ++outside_prefix;
      return bare_reply(404, now);
    }
    ++under_prefix;
    const std::string name = path.substr(at + prefix.size());
    const int connection = connection_number(incoming.connection);
    Resource& resource = resources[name];
    Reply reply;
    if (!resource.script) {
      reply = bare_reply(404, now);
      reply.fields.add("Cache-Control", "no-store");
    } else {
      reply = answer_scripted(*resource.script, incoming, now, *resource.faults);
    }
    if (resource.record.size() < kMaxRecorded) {
      resource.record.push_back(record_of(incoming, reply));
      resource.record.back().connection = connection;
    }
    return reply;
  }
};

InstrumentedOrigin::InstrumentedOrigin(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

InstrumentedOrigin::~InstrumentedOrigin() {
  stop();
}

Result<std::unique_ptr<InstrumentedOrigin>> InstrumentedOrigin::start(
    InstrumentedOriginOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  Impl* raw = impl.get();
  auto server = Http1Server::start(
      {.host = raw->options.host, .port = raw->options.port},
      {.respond = [raw](const Incoming& request) { return raw->respond(request); },
       .transport_error = [raw](int status) { return bare_reply(status, raw->clock->now()); }});
  if (!server) return server.error();
  impl->server = std::move(*server);
  return std::unique_ptr<InstrumentedOrigin>(new InstrumentedOrigin(std::move(impl)));
}

int InstrumentedOrigin::port() const {
  return impl_->server->port();
}

std::string InstrumentedOrigin::base_url() const {
  const auto& host = impl_->options.host;
  if (host.find(':') != std::string::npos) return fmt::format("http://[{}]:{}", host, port());
  return fmt::format("http://{}:{}", host, port());
}

const std::string& InstrumentedOrigin::prefix() const {
  return impl_->prefix;
}

Status InstrumentedOrigin::script(const std::string& name, OriginScript script) {
  std::set<std::string> names;
  if (!script.fault.empty()) names.insert(script.fault);
  auto faults = ActiveFaults::from_names(names);
  if (!faults) return faults.error();
  std::lock_guard lock(impl_->mutex);
  Resource& resource = impl_->resources[name];
  resource.script = std::make_shared<const OriginScript>(std::move(script));
  resource.faults = std::make_shared<const ActiveFaults>(std::move(*faults));
  return Ok{};
}

std::vector<UpstreamExchange> InstrumentedOrigin::received(const std::string& name,
                                                           size_t from) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->resources.find(name);
  if (it == impl_->resources.end() || from >= it->second.record.size()) return {};
  return {it->second.record.begin() + static_cast<std::ptrdiff_t>(from), it->second.record.end()};
}

size_t InstrumentedOrigin::received_count(const std::string& name) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->resources.find(name);
  return it == impl_->resources.end() ? 0 : it->second.record.size();
}

size_t InstrumentedOrigin::received_under_prefix() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->under_prefix;
}

size_t InstrumentedOrigin::refused_outside_prefix() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->outside_prefix;
}

void InstrumentedOrigin::stop() {
  if (impl_ && impl_->server) impl_->server->stop();
}

}  // namespace condspec
