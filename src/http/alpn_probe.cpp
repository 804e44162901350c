#include "src/http/alpn_probe.h"

#include "src/http/connection.h"

namespace condspec {

Result<std::string> negotiate_alpn(const Url& url, const ClientOptions& options,
                                   const std::vector<std::string>& offers) {
  if (!url.tls()) return Error{"ALPN needs an https URL: " + url.str()};
  Result<TlsContext> tls = make_tls_context(options.verify_tls, options.ca_file, offers);
  if (!tls) return tls.error();
  const auto start = std::chrono::steady_clock::now();
  Connection connection;
  if (auto error = connection.open(
          url, tls->get(), options.verify_tls,
          {start, options.connect_timeout, start + options.deadline, options.cancel}))
    return Error{*error};
  return connection.alpn();
}

}  // namespace condspec
