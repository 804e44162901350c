#pragma once
// A server on 127.0.0.1 that misbehaves at the byte level, one way per mode,
// for proving that condspec ends on its own, says `error` with the bytes it
// saw, and stays within its memory bound whatever a server does.

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace condspec::test {

enum class Hostility {
  not_http,            // an SSH banner, then close
  control_bytes,       // a status line with a control byte in the reason
  http09,              // an HTTP/0.9-style reply: content without a status line
  drip,                // a valid head, one byte every 50 ms, never finishing
  huge_head,           // a header section of 32 MiB
  many_fields,         // 50,000 small header fields
  endless_chunked,     // a chunked body that never ends
  reset_mid_head,      // half a head, then a TCP reset
  invalid_chunk_size,  // a chunk size that is not hex
  short_content,       // Content-Length: 1000, 10 bytes, then silence
  silent,              // accepts and never answers
  not_tls,             // plain bytes to a TLS client (the handshake fails)
  redirect_loop,       // 301 to the same URL, forever
  interim_flood,       // interim 100 responses with big heads, forever, as fast as they are read
  endless_chunk_extensions,  // one-byte chunks behind 4000-byte chunk extensions, never
                             // ending, as fast as they are read: no size limit is reached
  // Not in all_hostilities(), each for its own test in hardening_test.cpp:
  unsafe_text,       // a 404 whose reason phrase holds a raw and a UTF-8 C1 CSI and U+202E
                     // (obs-text, which RFC 9110 allows there)
  hangs_later,       // answers its first kAnsweredBeforeHanging connections with a 200, then
                     // accepts and never answers: discovery ends, a scenario's exchange hangs
  secret_past_caps,  // a 200 followed by 64 KiB - 5 bytes and then kSecretPastCaps, so the
                     // secret straddles the stray-bytes cap; the 200's ETag is the secret too
  // Not hostile, and not in all_hostilities(): answers correctly, one
  // request per connection, except that its 304 carries
  // Transfer-Encoding: chunked (and nothing after it), which RFC 9112 6.1
  // allows.
  te_in_304,
  // Not in all_hostilities(): a plain resource (a 200 of 5 bytes, one
  // request per connection), except that a Range in the unknown unit foo
  // gets a head announcing Content-Length: 4096 and then the connection
  // closes without content, as Jetty 9.4 answers (real-server
  // disagreement D13): with 416 and Content-Range, or with 200.
  unknown_unit_cut_short_416,
  unknown_unit_cut_short_200,
};

std::string to_string(Hostility mode);

// How many connections hangs_later answers: discovery (11 exchanges on such a
// server, range support now asked in three shapes) and the first step of a
// scenario.
inline constexpr int kAnsweredBeforeHanging = 12;

// What secret_past_caps sends across the 64 KiB cap.
inline constexpr const char* kSecretPastCaps = "hunter2pass12";
std::vector<Hostility> all_hostilities();

class HostileServer {
 public:
  explicit HostileServer(Hostility mode);
  ~HostileServer();
  HostileServer(const HostileServer&) = delete;
  HostileServer& operator=(const HostileServer&) = delete;

  int port() const { return port_; }
  // Connections accepted so far: lets a test act once the client is
  // waiting on this server rather than after a guessed delay.
  int accepted() const { return accepted_; }

 private:
  void serve(int client) const;

  Hostility mode_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  mutable std::vector<std::thread> connections_;
  mutable std::atomic<int> served_{0};
  std::atomic<int> accepted_{0};
};

}  // namespace condspec::test
