#include "src/http/frame_record.h"

#include <fmt/format.h>

#include <array>

#include "src/core/text.h"

namespace condspec {
namespace {

constexpr std::array<std::string_view, 10> kCoreTypes = {
    "DATA",         "HEADERS", "PRIORITY", "RST_STREAM",    "SETTINGS",
    "PUSH_PROMISE", "PING",    "GOAWAY",   "WINDOW_UPDATE", "CONTINUATION"};

struct ExtensionType {
  uint8_t type;
  std::string_view name;
};
constexpr std::array<ExtensionType, 3> kExtensionTypes = {
    {{0x0a, "ALTSVC"}, {0x0c, "ORIGIN"}, {0x10, "PRIORITY_UPDATE"}}};

struct Flag {
  uint8_t bit;
  std::string_view name;
};

constexpr uint8_t kData = 0x0, kHeaders = 0x1, kSettings = 0x4, kPushPromise = 0x5, kPing = 0x6,
                  kContinuation = 0x9;

// The flags a type defines (RFC 9113 6.1-6.10), in bit order.
std::vector<Flag> flags_of(uint8_t type) {
  switch (type) {
    case kData:
      return {{0x01, "END_STREAM"}, {0x08, "PADDED"}};
    case kHeaders:
      return {{0x01, "END_STREAM"}, {0x04, "END_HEADERS"}, {0x08, "PADDED"}, {0x20, "PRIORITY"}};
    case kSettings:
    case kPing:
      return {{0x01, "ACK"}};
    case kPushPromise:
      return {{0x04, "END_HEADERS"}, {0x08, "PADDED"}};
    case kContinuation:
      return {{0x04, "END_HEADERS"}};
    default:
      return {};
  }
}

std::optional<uint8_t> hex_byte(std::string_view text) {
  if (text.size() != 4 || !text.starts_with("0x")) return std::nullopt;
  unsigned value = 0;
  for (char c : text.substr(2)) {
    value <<= 4;
    if (c >= '0' && c <= '9')
      value |= static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f')
      value |= static_cast<unsigned>(c - 'a' + 10);
    else
      return std::nullopt;
  }
  return static_cast<uint8_t>(value);
}

}  // namespace

std::string frame_type_name(uint8_t type) {
  if (type < kCoreTypes.size()) return std::string(kCoreTypes[type]);
  for (const auto& extension : kExtensionTypes)
    if (extension.type == type) return std::string(extension.name);
  return fmt::format("{:#04x}", type);
}

std::optional<uint8_t> frame_type_from_name(std::string_view name) {
  for (size_t i = 0; i < kCoreTypes.size(); ++i)
    if (kCoreTypes[i] == name) return static_cast<uint8_t>(i);
  for (const auto& extension : kExtensionTypes)
    if (extension.name == name) return extension.type;
  auto unknown = hex_byte(name);
  if (unknown && frame_type_name(*unknown) == name) return unknown;  // only the canonical form
  return std::nullopt;
}

std::string frame_flags_text(uint8_t type, uint8_t flags) {
  std::string text;
  auto add = [&](std::string_view part) {
    if (!text.empty()) text += '|';
    text += part;
  };
  uint8_t named = 0;
  for (const Flag& flag : flags_of(type)) {
    if (flags & flag.bit) add(flag.name);
    named |= flag.bit;
  }
  for (unsigned bit = 1; bit < 0x100; bit <<= 1)
    if ((flags & bit) && !(named & bit)) add(fmt::format("{:#04x}", bit));
  return text;
}

std::optional<uint8_t> frame_flags_from_text(uint8_t type, std::string_view text) {
  uint8_t flags = 0;
  if (text.empty()) return flags;
  const std::vector<Flag> known = flags_of(type);
  for (std::string_view part : split(text, '|')) {
    std::optional<uint8_t> bit;
    for (const Flag& flag : known)
      if (flag.name == part) bit = flag.bit;
    if (!bit) bit = hex_byte(part);
    if (!bit) return std::nullopt;
    flags |= *bit;
  }
  return flags;
}

std::string http2_error_name(uint32_t code) {
  constexpr std::array<std::string_view, 14> kNames = {"NO_ERROR",
                                                       "PROTOCOL_ERROR",
                                                       "INTERNAL_ERROR",
                                                       "FLOW_CONTROL_ERROR",
                                                       "SETTINGS_TIMEOUT",
                                                       "STREAM_CLOSED",
                                                       "FRAME_SIZE_ERROR",
                                                       "REFUSED_STREAM",
                                                       "CANCEL",
                                                       "COMPRESSION_ERROR",
                                                       "CONNECT_ERROR",
                                                       "ENHANCE_YOUR_CALM",
                                                       "INADEQUATE_SECURITY",
                                                       "HTTP_1_1_REQUIRED"};
  if (code < kNames.size()) return std::string(kNames[code]);
  return fmt::format("{:#x}", code);
}

std::string describe(const FrameRecord& frame) {
  std::string flags = frame_flags_text(frame.type, frame.flags);
  return fmt::format("{} {} stream {}, {} byte{}{}", frame.sent ? "sent" : "received",
                     frame_type_name(frame.type), frame.stream, frame.length,
                     frame.length == 1 ? "" : "s", flags.empty() ? "" : ", " + flags);
}

}  // namespace condspec
