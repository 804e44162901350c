#include "runner/protocol_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace condspec {
namespace {

bool reaches_target(Protocol protocol, const TargetConfig& target) {
  return reaches(protocol, target.url) && (!target.unsafe || reaches(protocol, *target.unsafe));
}

// Why `protocol` cannot reach `url`.
std::string why_not(Protocol protocol) {
  return protocol == Protocol::h2
             ? "h2 is HTTP/2 over TLS, for https URLs (for cleartext HTTP/2 use --protocol h2c)"
             : "h2c is HTTP/2 over cleartext, for http URLs (for HTTP/2 over TLS use --protocol "
               "h2)";
}

std::string unreachable(const std::vector<Protocol>& requested, const TargetConfig& target) {
  std::vector<std::string> names, reasons;
  for (Protocol p : requested) names.push_back("--protocol " + std::string(to_string(p)));
  for (Protocol p : requested) reasons.push_back(why_not(p));
  std::string where = target.url.str();
  if (target.unsafe && std::any_of(requested.begin(), requested.end(),
                                   [&](Protocol p) { return reaches(p, target.url); }))
    where += " together with --unsafe-url " + target.unsafe->str();
  return fmt::format("{} cannot reach {}: {}", fmt::join(names, " "), where,
                     fmt::join(reasons, "; "));
}

}  // namespace

Result<std::vector<TargetConfig>> plan_protocols(const std::vector<TargetConfig>& targets,
                                                 const std::vector<Protocol>& requested,
                                                 const OffersH2& offers_h2) {
  std::map<std::string, bool> offers;  // origin -> h2 in ALPN
  auto offered = [&](const Url& url) {
    auto [it, added] = offers.try_emplace(url.origin(), false);
    if (added) it->second = offers_h2(url);
    return it->second;
  };
  std::vector<TargetConfig> planned;
  for (const TargetConfig& target : targets) {
    std::vector<Protocol> protocols;
    for (Protocol protocol : kProtocols) {
      const bool wanted =
          requested.empty()
              ? protocol == Protocol::http1_1 ||
                    (protocol == Protocol::h2 && reaches_target(protocol, target) &&
                     offered(target.url) && (!target.unsafe || offered(*target.unsafe)))
              : std::find(requested.begin(), requested.end(), protocol) != requested.end() &&
                    reaches_target(protocol, target);
      if (wanted) protocols.push_back(protocol);
    }
    if (protocols.empty()) {
      std::vector<Protocol> given;
      for (Protocol p : kProtocols)
        if (std::find(requested.begin(), requested.end(), p) != requested.end()) given.push_back(p);
      return Error{unreachable(given, target)};
    }
    for (Protocol protocol : protocols) {
      TargetConfig over = target;
      over.client.protocol = protocol;
      planned.push_back(std::move(over));
    }
  }
  return planned;
}

}  // namespace condspec
