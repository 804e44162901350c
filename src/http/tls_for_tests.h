#pragma once
// TLS pieces for tests: a self-signed certificate made on the spot, and a
// TLS server on 127.0.0.1 that answers one connection with a script, choosing
// a protocol in ALPN the way a real server would.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace condspec::tls_testing {

struct Credentials {
  std::string cert_file;
  std::string key_file;
};

// A self-signed certificate (also its own CA) for `subject_alt_names`, e.g.
// "DNS:localhost,IP:127.0.0.1", written to PEM files in the test temporary
// folder; `name` keeps the files of one process apart.
inline Credentials make_self_signed(const std::string& name, const std::string& subject_alt_names) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* subject = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("condspec test"), -1, -1, 0);
  X509_set_issuer_name(cert, subject);
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, subject_alt_names.c_str()},
                            std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
    X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
  }
  X509_sign(cert, key, EVP_sha256());

  // Per process: test runners may run these tests in parallel processes.
  std::string prefix = testing::TempDir() + "condspec-" + std::to_string(::getpid()) + "-" + name;
  Credentials files{prefix + "-cert.pem", prefix + "-key.pem"};
  FILE* out = std::fopen(files.cert_file.c_str(), "w");
  PEM_write_X509(out, cert);
  std::fclose(out);
  out = std::fopen(files.key_file.c_str(), "w");
  PEM_write_PrivateKey(out, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(out);
  X509_free(cert);
  EVP_PKEY_free(key);
  return files;
}

inline void remove_files(const Credentials& files) {
  std::remove(files.cert_file.c_str());
  std::remove(files.key_file.c_str());
}

// A TLS server on 127.0.0.1 for one connection. In ALPN it chooses the first
// of `choices` that the client offers (none at all when `choices` is empty),
// then runs `script` on the TLS connection (blocking SSL* I/O, reads time
// out after 3 s) and closes it.
class OneConnectionTlsServer {
 public:
  using Script = std::function<void(SSL*)>;

  OneConnectionTlsServer(const Credentials& files, std::vector<std::string> choices, Script script)
      : choices_(std::move(choices)), script_(std::move(script)) {
    context_ = SSL_CTX_new(TLS_server_method());
    EXPECT_EQ(SSL_CTX_use_certificate_file(context_, files.cert_file.c_str(), SSL_FILETYPE_PEM), 1);
    EXPECT_EQ(SSL_CTX_use_PrivateKey_file(context_, files.key_file.c_str(), SSL_FILETYPE_PEM), 1);
    SSL_CTX_set_alpn_select_cb(context_, &OneConnectionTlsServer::select, this);
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 1);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~OneConnectionTlsServer() {
    thread_.join();
    ::close(listener_);
    SSL_CTX_free(context_);
  }
  int port() const { return port_; }

 private:
  static int select(SSL*, const unsigned char** out, unsigned char* out_length,
                    const unsigned char* offered, unsigned offered_length, void* self_pointer) {
    auto* self = static_cast<OneConnectionTlsServer*>(self_pointer);
    for (const auto& choice : self->choices_) {
      for (unsigned at = 0; at < offered_length; at += 1u + offered[at]) {
        const unsigned length = offered[at];
        if (at + 1 + length > offered_length) break;
        if (std::string(reinterpret_cast<const char*>(offered + at + 1), length) == choice) {
          *out = offered + at + 1;
          *out_length = static_cast<unsigned char>(length);
          return SSL_TLSEXT_ERR_OK;
        }
      }
    }
    return SSL_TLSEXT_ERR_NOACK;  // go on without a protocol, as many servers do
  }

  void serve() {
    // A client that leaves early must not kill the test process: SIGPIPE is
    // raised in the writing thread, so blocking it here turns it into EPIPE.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    pollfd entry{listener_, POLLIN, 0};
    if (::poll(&entry, 1, 3000) <= 0) return;
    int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) return;
    timeval timeout{3, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    SSL* ssl = SSL_new(context_);
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) script_(ssl);
    SSL_free(ssl);
    ::close(fd);
  }

  std::vector<std::string> choices_;
  Script script_;
  SSL_CTX* context_ = nullptr;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace condspec::tls_testing
