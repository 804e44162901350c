#include "src/http/http2_response.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace condspec {
namespace {

using FieldList = std::vector<std::pair<std::string, std::string>>;

// Feeds one header block; returns the first error, or "".
std::string block(Http2ResponseAssembler& assembler, const FieldList& fields) {
  assembler.begin_block();
  for (const auto& [name, value] : fields) {
    auto added = assembler.field(name, value);
    if (!added) return added.error().message;
  }
  auto ended = assembler.end_block();
  return ended ? "" : ended.error().message;
}

TEST(Http2Response, HeadFieldsAndContent) {
  Http2ResponseAssembler assembler("GET");
  EXPECT_EQ(assembler.waiting_for(), "the response HEADERS");
  EXPECT_EQ(block(assembler, {{":status", "200"}, {"etag", "\"v1\""}, {"content-length", "5"}}),
            "");
  EXPECT_TRUE(assembler.has_final_head());
  EXPECT_TRUE(assembler.data("hel"));
  EXPECT_EQ(assembler.waiting_for(), "the end of the stream");
  EXPECT_TRUE(assembler.data("lo"));
  assembler.end_stream();
  EXPECT_TRUE(assembler.ended());
  Response response = assembler.take_response();
  EXPECT_EQ(response.version, "HTTP/2");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.reason, "");
  EXPECT_EQ(response.fields, (Fields{{"etag", "\"v1\""}, {"content-length", "5"}}));
  EXPECT_EQ(response.head,
            "HTTP/2 200\r\n:status: 200\r\netag: \"v1\"\r\ncontent-length: 5\r\n\r\n");
  EXPECT_EQ(response.content, "hello");
  EXPECT_EQ(response.framing, Framing::end_stream);
  EXPECT_TRUE(response.framing_notes.empty());
  StrayBytes stray = assembler.take_stray();
  EXPECT_EQ(stray.bytes, "");
  EXPECT_TRUE(stray.checked);  // the stream ended: nothing can follow
}

TEST(Http2Response, DataOnAResponseThatCannotHaveContentIsStray) {
  for (auto [method, status] : {std::pair{"GET", "304"}, {"GET", "204"}, {"HEAD", "200"}}) {
    Http2ResponseAssembler assembler(method);
    EXPECT_EQ(block(assembler, {{":status", status}, {"content-length", "100"}}), "");
    EXPECT_TRUE(assembler.data("oops"));
    StrayBytes unfinished = assembler.take_stray();
    EXPECT_EQ(unfinished.bytes, "oops");
    EXPECT_FALSE(unfinished.checked) << "more may come before the stream ends";
  }
  Http2ResponseAssembler assembler("GET");
  EXPECT_EQ(block(assembler, {{":status", "304"}, {"content-length", "100"}}), "");
  EXPECT_TRUE(assembler.data("oops"));
  assembler.end_stream();
  Response response = assembler.take_response();
  EXPECT_EQ(response.content, "");
  EXPECT_EQ(response.framing, Framing::no_content);
  // A 304 may announce the length a 200 would have (RFC 9113 8.1.1).
  EXPECT_TRUE(response.framing_notes.empty());
  StrayBytes stray = assembler.take_stray();
  EXPECT_EQ(stray.bytes, "oops");
  EXPECT_TRUE(stray.checked);
  EXPECT_EQ(assembler.data_bytes(), 4u);
}

TEST(Http2Response, StrayDataIsKeptUpToItsCapAndCounted) {
  Http2ResponseAssembler assembler("HEAD");
  EXPECT_EQ(block(assembler, {{":status", "200"}}), "");
  EXPECT_TRUE(assembler.data(std::string(StrayBytes::kMaxKept + 10, 'x')));
  assembler.end_stream();
  StrayBytes stray = assembler.take_stray();
  EXPECT_EQ(stray.bytes.size(), StrayBytes::kMaxKept);
  EXPECT_EQ(stray.dropped, 10u);
}

TEST(Http2Response, InterimBlocksAreSkippedAndCapped) {
  Http2ResponseAssembler assembler("GET");
  EXPECT_EQ(block(assembler, {{":status", "103"}, {"link", "</a.css>; rel=preload"}}), "");
  EXPECT_FALSE(assembler.has_final_head());
  EXPECT_EQ(block(assembler, {{":status", "200"}}), "");
  EXPECT_EQ(assembler.take_response().fields, Fields{});

  Http2ResponseAssembler endless("GET");
  std::string error;
  for (int i = 0; i < 40 && error.empty(); ++i) error = block(endless, {{":status", "100"}});
  EXPECT_EQ(error, "more than 32 interim (1xx) responses");

  Http2ResponseAssembler big("GET", {.max_interim_bytes = 100});
  error.clear();
  for (int i = 0; i < 10 && error.empty(); ++i) error = block(big, {{":status", "103"}});
  EXPECT_EQ(error, "interim (1xx) responses exceed 100 bytes");
}

TEST(Http2Response, TrailersFollowTheContent) {
  Http2ResponseAssembler assembler("GET");
  EXPECT_EQ(block(assembler, {{":status", "200"}}), "");
  EXPECT_TRUE(assembler.data("x"));
  EXPECT_EQ(block(assembler, {{"checksum", "abc"}}), "");
  assembler.end_stream();
  Response response = assembler.take_response();
  EXPECT_EQ(response.trailers, (Fields{{"checksum", "abc"}}));
  EXPECT_EQ(response.fields, Fields{});
}

TEST(Http2Response, WhatAConformantServerWouldNotSendIsNoted) {
  Http2ResponseAssembler assembler("GET");
  EXPECT_EQ(block(assembler, {{":status", "200"},
                              {"connection", "close"},
                              {"Transfer-Encoding", "chunked"},
                              {"ETag", "\"x\""},
                              {"content-length", "10"}}),
            "");
  EXPECT_TRUE(assembler.data("short"));
  assembler.end_stream();
  Response response = assembler.take_response();
  EXPECT_EQ(response.framing_notes,
            (std::vector<std::string>{
                "connection-specific field 'connection' in an HTTP/2 response (RFC 9113 8.2.2)",
                "connection-specific field 'Transfer-Encoding' in an HTTP/2 response (RFC 9113 "
                "8.2.2)",
                "field name 'ETag' not in lower case (RFC 9113 8.2.1)",
                "content-length 10 but the DATA frames carried 5 bytes (RFC 9113 8.1.1)"}));
  EXPECT_EQ(response.content, "short");  // judged, not refused

  Http2ResponseAssembler garbage("GET");
  EXPECT_EQ(block(garbage, {{":status", "200"}, {"content-length", "ten"}}), "");
  garbage.end_stream();
  EXPECT_EQ(garbage.take_response().framing_notes,
            std::vector<std::string>{"content-length 'ten' is not a number of bytes"});
}

TEST(Http2Response, WhatCannotBeJudgedIsAnError) {
  Http2ResponseAssembler no_status("GET");
  EXPECT_EQ(block(no_status, {{"etag", "\"x\""}}),
            "the response HEADERS carried no :status (RFC 9113 8.3.2)");
  Http2ResponseAssembler bad_status("GET");
  EXPECT_EQ(block(bad_status, {{":status", "2000"}}), "invalid :status '2000'");
  Http2ResponseAssembler data_first("GET");
  auto data = data_first.data("x");
  ASSERT_FALSE(data);
  EXPECT_EQ(data.error().message, "DATA before the response HEADERS (1 byte)");

  Http2ResponseAssembler huge_head("GET", {.max_head_bytes = 100});
  EXPECT_EQ(block(huge_head, {{":status", "200"}, {"x-big", std::string(100, 'x')}}),
            "response header section exceeds 100 bytes");
  Http2ResponseAssembler huge_content("GET", {.max_content_bytes = 4});
  EXPECT_EQ(block(huge_content, {{":status", "200"}}), "");
  EXPECT_TRUE(huge_content.data("1234"));
  auto over = huge_content.data("5");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().message, "content exceeds 4 bytes");
}

}  // namespace
}  // namespace condspec
