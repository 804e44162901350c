#include "src/http/http2_request.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

const Url kOrigin{"https", "example.test", 8443, "/a"};

Http2Request made(const Request& request) {
  auto result = make_http2_request(request, kOrigin);
  EXPECT_TRUE(result) << result.error().message;
  return result ? *result : Http2Request{};
}

TEST(Http2Request, PseudoHeaderFieldsFirstThenTheFieldsInLowerCase) {
  Request request;
  request.method = "HEAD";
  request.target = "/a?x=1";
  request.fields.add("If-None-Match", "\"v1\"");
  request.fields.add("Accept-Encoding", "gzip");
  Http2Request h2 = made(request);
  EXPECT_EQ(h2.fields, (Fields{{":method", "HEAD"},
                               {":scheme", "https"},
                               {":authority", "example.test:8443"},
                               {":path", "/a?x=1"},
                               {"if-none-match", "\"v1\""},
                               {"accept-encoding", "gzip"}}));
  EXPECT_EQ(h2.text,
            "HEAD /a?x=1 HTTP/2\r\n:method: HEAD\r\n:scheme: https\r\n:authority: "
            "example.test:8443\r\n:path: /a?x=1\r\nif-none-match: \"v1\"\r\naccept-encoding: "
            "gzip\r\n\r\n");
}

TEST(Http2Request, TwoFieldLinesStayTwoFields) {
  Request request;
  request.fields.add("If-None-Match", "\"a\"");
  request.fields.add("If-None-Match", "\"b\"");
  Http2Request h2 = made(request);
  EXPECT_EQ(h2.fields.all("if-none-match"), (std::vector<std::string>{"\"a\"", "\"b\""}));
}

TEST(Http2Request, HostBecomesTheAuthority) {
  Request request;
  request.fields.add("Host", "other.test");
  Http2Request h2 = made(request);
  EXPECT_EQ(*h2.fields.find(":authority"), "other.test");
  EXPECT_FALSE(h2.fields.has("host"));
}

TEST(Http2Request, ConnectionSpecificFieldsAreNotSent) {
  Request request;
  for (const char* name :
       {"Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade"})
    request.fields.add(name, "x");
  request.fields.add("TE", "gzip");
  request.fields.add("Accept", "*/*");
  Http2Request h2 = made(request);
  EXPECT_EQ(h2.fields.size(), 5u);
  EXPECT_EQ(*h2.fields.find("accept"), "*/*");

  Request trailers;
  trailers.fields.add("TE", "trailers");
  EXPECT_EQ(*made(trailers).fields.find("te"), "trailers");  // the one TE HTTP/2 allows
}

TEST(Http2Request, ContentGetsALengthUnlessItHasOne) {
  Request request;
  request.method = "PUT";
  request.body = "hello";
  Http2Request h2 = made(request);
  EXPECT_EQ(*h2.fields.find("content-length"), "5");
  EXPECT_EQ(h2.content, "hello");
  EXPECT_TRUE(h2.text.ends_with("content-length: 5\r\n\r\nhello"));

  request.fields.add("Content-Length", "7");  // a scenario's own, sent as is
  EXPECT_EQ(made(request).fields.all("content-length"), std::vector<std::string>{"7"});
}

TEST(Http2Request, FieldsWithLineBreaksStayOneLineInTheText) {
  EXPECT_EQ(http2_field_line("x-a", "1\r\n2"), "x-a: 1\\r\\n2\r\n");
}

TEST(Http2Request, WhatHttp2CannotSay) {
  Request old;
  old.version = "HTTP/1.0";
  auto refused = make_http2_request(old, kOrigin);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "an HTTP/1.0 request cannot be sent over HTTP/2, which has no version of its own to "
            "announce");

  Request split;
  split.fields.add("If-None-Match", "\"a\"");
  split.split_before = "If-None-Match";
  refused = make_http2_request(split, kOrigin);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "a header section split over two writes cannot be sent over HTTP/2, whose field "
            "section travels whole in HEADERS frames");
}

}  // namespace
}  // namespace condspec
