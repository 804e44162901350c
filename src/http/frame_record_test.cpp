#include "src/http/frame_record.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

TEST(FrameRecord, TypesByTheirRfcNames) {
  EXPECT_EQ(frame_type_name(0x0), "DATA");
  EXPECT_EQ(frame_type_name(0x1), "HEADERS");
  EXPECT_EQ(frame_type_name(0x3), "RST_STREAM");
  EXPECT_EQ(frame_type_name(0x4), "SETTINGS");
  EXPECT_EQ(frame_type_name(0x7), "GOAWAY");
  EXPECT_EQ(frame_type_name(0x8), "WINDOW_UPDATE");
  EXPECT_EQ(frame_type_name(0x9), "CONTINUATION");
  EXPECT_EQ(frame_type_name(0xa), "ALTSVC");
  EXPECT_EQ(frame_type_name(0xb), "0x0b");
  EXPECT_EQ(frame_type_name(0xff), "0xff");
  for (unsigned type = 0; type < 256; ++type) {
    EXPECT_EQ(frame_type_from_name(frame_type_name(static_cast<uint8_t>(type))), type);
  }
  for (std::string_view bad : {"", "data", "0xb", "0x0B", "0x00", "0x01", "HEADERS ", "0x0g"})
    EXPECT_FALSE(frame_type_from_name(bad)) << bad;
}

TEST(FrameRecord, FlagsByTheNamesTheirTypeGivesThem) {
  EXPECT_EQ(frame_flags_text(0x1, 0x05), "END_STREAM|END_HEADERS");
  EXPECT_EQ(frame_flags_text(0x1, 0x04), "END_HEADERS");
  EXPECT_EQ(frame_flags_text(0x0, 0x01), "END_STREAM");
  EXPECT_EQ(frame_flags_text(0x4, 0x01), "ACK");
  EXPECT_EQ(frame_flags_text(0x6, 0x01), "ACK");
  EXPECT_EQ(frame_flags_text(0x0, 0x00), "");
  // Bits a type does not define are shown, not dropped.
  EXPECT_EQ(frame_flags_text(0x0, 0x41), "END_STREAM|0x40");
  EXPECT_EQ(frame_flags_text(0x7, 0x01), "0x01");
  for (unsigned type : {0x0u, 0x1u, 0x4u, 0x5u, 0x9u, 0xbu})
    for (unsigned flags = 0; flags < 256; ++flags) {
      auto text = frame_flags_text(static_cast<uint8_t>(type), static_cast<uint8_t>(flags));
      EXPECT_EQ(frame_flags_from_text(static_cast<uint8_t>(type), text), flags) << text;
    }
  EXPECT_FALSE(frame_flags_from_text(0x1, "END_STREAM|"));
  EXPECT_FALSE(frame_flags_from_text(0x4, "END_STREAM"));  // SETTINGS has no END_STREAM
}

TEST(FrameRecord, ErrorCodesByName) {
  EXPECT_EQ(http2_error_name(0x0), "NO_ERROR");
  EXPECT_EQ(http2_error_name(0x1), "PROTOCOL_ERROR");
  EXPECT_EQ(http2_error_name(0x7), "REFUSED_STREAM");
  EXPECT_EQ(http2_error_name(0xb), "ENHANCE_YOUR_CALM");
  EXPECT_EQ(http2_error_name(0xd), "HTTP_1_1_REQUIRED");
  EXPECT_EQ(http2_error_name(0xe), "0xe");
  EXPECT_EQ(http2_error_name(0xdeadbeef), "0xdeadbeef");
}

TEST(FrameRecord, OneLineForAReader) {
  EXPECT_EQ(describe({false, 0x1, 0x05, 42, 1}),
            "received HEADERS stream 1, 42 bytes, END_STREAM|END_HEADERS");
  EXPECT_EQ(describe({true, 0x4, 0x00, 18, 0}), "sent SETTINGS stream 0, 18 bytes");
  EXPECT_EQ(describe({true, 0x8, 0x00, 4, 0}), "sent WINDOW_UPDATE stream 0, 4 bytes");
  EXPECT_EQ(describe({false, 0x0, 0x01, 1, 3}), "received DATA stream 3, 1 byte, END_STREAM");
}

}  // namespace
}  // namespace condspec
