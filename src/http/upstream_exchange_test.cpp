#include "src/http/upstream_exchange.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

TEST(UpstreamExchange, RequestTextIsTheRequestLineFieldsAndContent) {
  Request request;
  request.method = "GET";
  request.target = "/c/abc/h1/s";
  request.fields = {{"Host", "127.0.0.1:8081"}, {"If-None-Match", "\"v1\""}};
  EXPECT_EQ(request_text(request),
            "GET /c/abc/h1/s HTTP/1.1\r\nHost: 127.0.0.1:8081\r\nIf-None-Match: \"v1\"\r\n\r\n");
  request.method = "PUT";
  request.body = "x";
  EXPECT_EQ(request_text(request).substr(request_text(request).size() - 5), "\r\n\r\nx");
}

TEST(UpstreamExchange, ResponseHeadNamesTheReasonWhenKnown) {
  EXPECT_EQ(response_head_text(304, {{"ETag", "\"v1\""}}),
            "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n\r\n");
  EXPECT_EQ(response_head_text(299, {}), "HTTP/1.1 299\r\n\r\n");
  EXPECT_EQ(reason_phrase(412), "Precondition Failed");
  EXPECT_EQ(reason_phrase(299), "");
}

}  // namespace
}  // namespace condspec
