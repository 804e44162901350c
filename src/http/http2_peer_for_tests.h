#pragma once
// The server side of an HTTP/2 connection written frame by frame, for tests
// of the HTTP/2 client only: hostile peers need to send what no real server
// library would (DATA on stream 0, a flood of SETTINGS, a window that never
// opens). It runs on a ScriptedServer's raw TCP Peer. HPACK is libnghttp2's
// (nghttp2_hd_deflate / inflate); only the 9-byte frame headers are put
// together here.

#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/http/fields.h"
#include "src/http/scripted_server_for_tests.h"

namespace condspec::h2_testing {

using namespace std::chrono_literals;

constexpr std::string_view kClientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

enum Type : uint8_t {
  DATA = 0x0,
  HEADERS = 0x1,
  RST_STREAM = 0x3,
  SETTINGS = 0x4,
  PUSH_PROMISE = 0x5,
  PING = 0x6,
  GOAWAY = 0x7,
  WINDOW_UPDATE = 0x8,
  CONTINUATION = 0x9,
};
enum Flag : uint8_t {
  NONE = 0x0,
  END_STREAM = 0x1,
  ACK = 0x1,
  END_HEADERS = 0x4,
  PADDED = 0x8,  // DATA, HEADERS: the payload begins with the padding length
};

inline std::string u32(uint32_t value) {
  return {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
          static_cast<char>(value >> 8), static_cast<char>(value)};
}

inline std::string frame(uint8_t type, uint8_t flags, uint32_t stream, std::string_view payload) {
  const size_t n = payload.size();
  std::string out{static_cast<char>(n >> 16), static_cast<char>(n >> 8), static_cast<char>(n),
                  static_cast<char>(type), static_cast<char>(flags)};
  return out + u32(stream) + std::string(payload);
}

inline std::string settings(const std::vector<std::pair<uint16_t, uint32_t>>& values = {}) {
  std::string payload;
  for (auto [id, value] : values)
    payload += std::string{static_cast<char>(id >> 8), static_cast<char>(id)} + u32(value);
  return frame(SETTINGS, NONE, 0, payload);
}
inline std::string settings_ack() {
  return frame(SETTINGS, ACK, 0, "");
}
inline std::string goaway(uint32_t last_stream, uint32_t code, std::string_view debug = "") {
  return frame(GOAWAY, NONE, 0, u32(last_stream) + u32(code) + std::string(debug));
}
inline std::string rst_stream(uint32_t stream, uint32_t code) {
  return frame(RST_STREAM, NONE, stream, u32(code));
}
inline std::string ping(uint8_t flags = NONE) {
  return frame(PING, flags, 0, std::string(8, '\x2a'));
}
inline std::string data(uint32_t stream, std::string_view payload, uint8_t flags = NONE) {
  return frame(DATA, flags, stream, payload);
}

struct RawFrame {
  uint8_t type = 0;
  uint8_t flags = 0;
  uint32_t stream = 0;
  std::string payload;
};

// The frames whole at the front of `bytes`; `consumed` says how many bytes
// they took.
inline std::vector<RawFrame> parse_frames(std::string_view bytes, size_t& consumed) {
  std::vector<RawFrame> frames;
  consumed = 0;
  while (bytes.size() - consumed >= 9) {
    auto b = [&](size_t i) { return static_cast<uint8_t>(bytes[consumed + i]); };
    const size_t length = (size_t{b(0)} << 16) | (size_t{b(1)} << 8) | b(2);
    if (bytes.size() - consumed < 9 + length) break;
    RawFrame f;
    f.type = b(3);
    f.flags = b(4);
    f.stream = ((uint32_t{b(5)} << 24) | (uint32_t{b(6)} << 16) | (uint32_t{b(7)} << 8) | b(8)) &
               0x7fffffffu;
    f.payload = std::string(bytes.substr(consumed + 9, length));
    frames.push_back(std::move(f));
    consumed += 9 + length;
  }
  return frames;
}

// What the client sent on one stream.
struct ReceivedRequest {
  uint32_t stream = 0;
  Fields fields;  // as decoded, pseudo-header fields included, in order
  std::string content;
};

// One HTTP/2 connection, server side.
class H2Peer {
 public:
  explicit H2Peer(wire_testing::Peer& peer) : peer_(peer) {
    nghttp2_hd_deflate_new(&deflater_, 4096);
    nghttp2_hd_inflate_new(&inflater_);
  }
  ~H2Peer() {
    nghttp2_hd_deflate_del(deflater_);
    nghttp2_hd_inflate_del(inflater_);
  }
  H2Peer(const H2Peer&) = delete;
  H2Peer& operator=(const H2Peer&) = delete;

  // Reads the client preface (once) and frames until a request's header
  // block is complete, and with `whole` until the request has ended too.
  // Frames on stream 0 are kept in client_frames(). Nothing within the
  // timeout: nullopt.
  std::optional<ReceivedRequest> read_request(bool whole = true,
                                              std::chrono::milliseconds timeout = 3000ms) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    std::optional<ReceivedRequest> request;
    bool head_done = false, ended = false;
    while (true) {
      if (!preface_seen_ && buffer_.size() >= kClientPreface.size()) {
        if (!std::string_view(buffer_).starts_with(kClientPreface)) return std::nullopt;
        buffer_.erase(0, kClientPreface.size());
        preface_seen_ = true;
      }
      if (preface_seen_) {
        size_t consumed = 0;
        for (RawFrame& f : parse_frames(buffer_, consumed)) {
          client_frames_.push_back(f);
          if (f.type == HEADERS || f.type == CONTINUATION) {
            if (!request) request = ReceivedRequest{f.stream, {}, {}};
            block_ += f.type == HEADERS ? header_block_of(f) : f.payload;
            if (f.flags & END_HEADERS) {
              request->fields = decode(block_);
              block_.clear();
              head_done = true;
            }
          } else if (f.type == DATA && request && f.stream == request->stream) {
            request->content += f.payload;
          }
          if ((f.type == HEADERS || f.type == DATA) && (f.flags & END_STREAM)) ended = true;
        }
        buffer_.erase(0, consumed);
      }
      if (head_done && (!whole || ended)) return request;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      if (!peer_.read_until([](std::string_view b) { return !b.empty(); }, left))
        return std::nullopt;
      buffer_ += peer_.take_buffered();
    }
  }

  // Reads frames until the client has sent one of this type with these
  // flags (or did so already); false when none came within the timeout.
  bool await_frame(uint8_t type, uint8_t flags, std::chrono::milliseconds timeout = 3000ms) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    size_t checked = 0;
    while (true) {
      for (; checked < client_frames_.size(); ++checked)
        if (client_frames_[checked].type == type && client_frames_[checked].flags == flags)
          return true;
      size_t consumed = 0;
      for (RawFrame& f : parse_frames(buffer_, consumed)) client_frames_.push_back(f);
      buffer_.erase(0, consumed);
      if (checked < client_frames_.size()) continue;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      if (!peer_.read_until([](std::string_view b) { return !b.empty(); }, left)) return false;
      buffer_ += peer_.take_buffered();
    }
  }

  const std::vector<RawFrame>& client_frames() const { return client_frames_; }

  // A HEADERS frame (END_HEADERS, and `flags`) with `fields` encoded by this
  // connection's HPACK encoder.
  std::string headers(uint32_t stream, const Fields& fields, uint8_t flags = NONE) {
    return frame(HEADERS, flags | END_HEADERS, stream, encode(fields));
  }
  std::string encode(const Fields& fields) {
    std::vector<nghttp2_nv> nva;
    for (const auto& f : fields)
      nva.push_back({reinterpret_cast<uint8_t*>(const_cast<char*>(f.name.data())),
                     reinterpret_cast<uint8_t*>(const_cast<char*>(f.value.data())), f.name.size(),
                     f.value.size(), NGHTTP2_NV_FLAG_NONE});
    std::string out(nghttp2_hd_deflate_bound(deflater_, nva.data(), nva.size()), '\0');
    ssize_t n = nghttp2_hd_deflate_hd(deflater_, reinterpret_cast<uint8_t*>(out.data()), out.size(),
                                      nva.data(), nva.size());
    out.resize(n < 0 ? 0 : static_cast<size_t>(n));
    return out;
  }

  bool write(std::string_view bytes) { return peer_.write(bytes); }
  wire_testing::Peer& raw() { return peer_; }

 private:
  // A HEADERS payload without its padding and priority fields.
  static std::string header_block_of(const RawFrame& f) {
    std::string_view block = f.payload;
    size_t pad = 0;
    if (f.flags & 0x08) {
      pad = static_cast<uint8_t>(block[0]);
      block.remove_prefix(1);
    }
    if (f.flags & 0x20) block.remove_prefix(5);
    block.remove_suffix(pad);
    return std::string(block);
  }

  Fields decode(const std::string& block) {
    Fields fields;
    const auto* in = reinterpret_cast<const uint8_t*>(block.data());
    size_t left = block.size();
    while (true) {
      nghttp2_nv nv;
      int flags = 0;
      ssize_t n = nghttp2_hd_inflate_hd2(inflater_, &nv, &flags, in, left, 1);
      if (n < 0) break;
      in += n;
      left -= static_cast<size_t>(n);
      if (flags & NGHTTP2_HD_INFLATE_EMIT)
        fields.add(std::string(reinterpret_cast<char*>(nv.name), nv.namelen),
                   std::string(reinterpret_cast<char*>(nv.value), nv.valuelen));
      if (flags & NGHTTP2_HD_INFLATE_FINAL) {
        nghttp2_hd_inflate_end_headers(inflater_);
        break;
      }
      if (n == 0 && left == 0) break;
    }
    return fields;
  }

  wire_testing::Peer& peer_;
  nghttp2_hd_deflater* deflater_ = nullptr;
  nghttp2_hd_inflater* inflater_ = nullptr;
  std::string buffer_;
  std::string block_;
  bool preface_seen_ = false;
  std::vector<RawFrame> client_frames_;
};

}  // namespace condspec::h2_testing
