#pragma once
// A TLS identity made on the spot for the reference origin over h2 (HTTP/2
// over TLS): a P-256 key and a self-signed certificate (its own CA) for
// localhost and 127.0.0.1, valid for a day around now. A client trusts it
// with --cacert. Made with OpenSSL; nothing is written to disk here.

#include <string>

#include "src/core/result.h"

namespace condspec {

struct TlsIdentity {
  std::string certificate_pem;
  std::string key_pem;
};

// Errors: OpenSSL could not make the key or sign the certificate.
Result<TlsIdentity> make_self_signed_identity();

}  // namespace condspec
