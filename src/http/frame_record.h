#pragma once
// FrameRecords (src/http/message.h) in words: HTTP/2 frame types and flags
// by their RFC 9113 names, for reports a reviewer reads and for reading
// those reports back.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "src/http/message.h"

namespace condspec {

// "DATA", "HEADERS", ... (RFC 9113 6, and ALTSVC, ORIGIN and
// PRIORITY_UPDATE of RFC 7838, 8336 and 9218); another type as "0x0b".
std::string frame_type_name(uint8_t type);
std::optional<uint8_t> frame_type_from_name(std::string_view name);

// The flags set, by the names their frame type gives them, joined by "|":
// "END_STREAM|END_HEADERS"; a bit the type does not define as "0x40";
// "" for none.
std::string frame_flags_text(uint8_t type, uint8_t flags);
std::optional<uint8_t> frame_flags_from_text(uint8_t type, std::string_view text);

// An HTTP/2 error code (RFC 9113 7) by name: "PROTOCOL_ERROR"; another as
// "0x1f".
std::string http2_error_name(uint32_t code);

// One line: "received HEADERS stream 1, 42 bytes, END_STREAM|END_HEADERS".
std::string describe(const FrameRecord& frame);

}  // namespace condspec
