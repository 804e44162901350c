#pragma once
// Stray bytes: what a server sent after the end of a response, and which
// response they belong to.
//
// Over HTTP/1.1 only a response's own framing says where it ends, so bytes
// beyond it (content after a 304 or a HEAD response, more than its
// Content-Length) are evidence of a framing violation (RFC 9112 6.3). They
// come to light only when the connection is used again or closed, that is
// while the client is busy with the *next* exchange. The transport therefore
// returns them as a StrayBytes value, and the caller attaches it to the
// record of the response they followed (attach_stray); no exchange ever
// writes into another one's record.

#include <cstddef>
#include <string>
#include <string_view>

#include "src/http/message.h"

namespace condspec {

struct StrayBytes {
  // How many bytes are kept; beyond that they are only counted. It also
  // bounds every read that collects them, so a server that never stops
  // sending can neither hold the client nor grow its memory.
  static constexpr size_t kMaxKept = 64 * 1024;

  std::string bytes;     // the first kMaxKept bytes seen
  size_t dropped = 0;    // how many more were seen
  bool checked = false;  // the evidence is conclusive (see StrayEnd)
};

// Where reading after a response stopped. It decides whether what was read
// is everything the server sent after that response; the rule is stated in
// wire_client.h.
enum class StrayEnd {
  still_open,         // more may follow
  status_line,        // the next response began: everything before it was read
  server_closed,      // a FIN (with or without TLS close_notify) ends the stream
  quiet_after_close,  // the server announced close and sent nothing for the grace
  gave_up,            // a reset, the byte budget, a timeout: more may have been sent
};

// The one place that keeps the evidence: appends `bytes` (the first
// kMaxKept in all are kept, the rest counted) and marks it checked when `end`
// makes it conclusive. Once checked it stays checked.
void record_stray(StrayBytes& stray, std::string_view bytes, StrayEnd end);

// Attaches `stray` to `record`, the exchange whose response the bytes
// followed: into Exchange::stray_bytes, stray_bytes_dropped and
// stray_checked, with the same cap and rule as record_stray. An empty,
// unchecked value changes nothing.
void attach_stray(Exchange& record, const StrayBytes& stray);

// The attribution of bytes that arrive after a request is written. On a new
// connection they are all this response's. On a reused one, those before
// this response's status line ("HTTP/") are left over from the previous
// response, and so stray. The split is found as bytes arrive, holding back
// a tail that may be the beginning of "HTTP/" until the next bytes decide.
class StatusLineScanner {
 public:
  // `reused`: the connection carried a response before this request.
  explicit StatusLineScanner(bool reused) : at_status_line_(!reused) {}

  // Takes the next bytes from the connection: those before the status line
  // go to `stray`; the rest, from the status line on, are returned (a view
  // valid until the next call; empty while no status line is found).
  std::string_view take(std::string_view bytes, StrayBytes& stray);

  // The connection ended, or is given up, before a status line: the
  // held-back tail is stray too, and `end` says how conclusive that is.
  void end(StrayBytes& stray, StrayEnd end);

  bool at_status_line() const { return at_status_line_; }
  // How many bytes before the status line were attributed as stray.
  size_t skipped() const { return skipped_; }

 private:
  bool at_status_line_;
  std::string held_;  // bytes not yet attributed; from the status line on once found
  size_t skipped_ = 0;
};

}  // namespace condspec
