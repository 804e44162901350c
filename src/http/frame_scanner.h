#pragma once
// Reads the header of every HTTP/2 frame in a received byte stream, as
// evidence only: libnghttp2 parses and acts on every byte, but it calls back
// only for frames it accepts, and with some flag bits cleared. A DATA frame
// on a stream that has already ended, an unknown frame type, or a flag a
// type does not define must still show in the record exactly as sent. The
// frame layout (RFC 9113 4.1) is a 9-byte header: a 24-bit length, the type,
// the flags, and a reserved bit before the 31-bit stream identifier; the
// payload of `length` bytes follows and is skipped here.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "src/http/message.h"

namespace condspec {

class FrameScanner {
 public:
  // Takes the next received bytes; returns the headers of the frames that
  // begin in them (a header split across calls is returned once whole).
  std::vector<FrameRecord> take(std::string_view bytes);

 private:
  uint8_t header_[9] = {};
  size_t header_bytes_ = 0;    // of header_, while a header is incomplete
  uint64_t payload_left_ = 0;  // of the frame being skipped
};

}  // namespace condspec
