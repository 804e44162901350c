#include "src/http/frame_scanner.h"

#include <algorithm>

namespace condspec {

std::vector<FrameRecord> FrameScanner::take(std::string_view bytes) {
  std::vector<FrameRecord> frames;
  while (!bytes.empty()) {
    if (payload_left_ > 0) {
      const size_t skip = static_cast<size_t>(std::min<uint64_t>(payload_left_, bytes.size()));
      payload_left_ -= skip;
      bytes.remove_prefix(skip);
      continue;
    }
    const size_t take = std::min(sizeof header_ - header_bytes_, bytes.size());
    std::copy_n(bytes.begin(), take, header_ + header_bytes_);
    header_bytes_ += take;
    bytes.remove_prefix(take);
    if (header_bytes_ < sizeof header_) break;
    header_bytes_ = 0;
    FrameRecord frame;
    frame.length = (uint32_t{header_[0]} << 16) | (uint32_t{header_[1]} << 8) | header_[2];
    frame.type = header_[3];
    frame.flags = header_[4];
    frame.stream = ((uint32_t{header_[5]} << 24) | (uint32_t{header_[6]} << 16) |
                    (uint32_t{header_[7]} << 8) | header_[8]) &
                   0x7fffffffu;
    payload_left_ = frame.length;
    frames.push_back(frame);
  }
  return frames;
}

}  // namespace condspec
