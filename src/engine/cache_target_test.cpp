#include "src/engine/cache_target.h"

#include <gtest/gtest.h>

namespace condspec {
namespace {

TEST(CacheTarget, TheResourceLivesUnderTheCacheUrlsFolderAndTheRunsPrefix) {
  auto origin = InstrumentedOrigin::start({.run_id = "ab"});
  ASSERT_TRUE(origin.ok());
  CacheTarget cache{.origin = origin->get(), .scope = "h1/"};
  EXPECT_EQ(resource_name(cache, "inm-stored-tag"), "h1/inm-stored-tag");
  EXPECT_EQ(cache_url_for(*parse_url("http://127.0.0.1:6081/"), cache, "h1/s").str(),
            "http://127.0.0.1:6081/c/ab/h1/s");
  EXPECT_EQ(cache_url_for(*parse_url("http://cdn.example/edge/"), cache, "h1/s").str(),
            "http://cdn.example/edge/c/ab/h1/s");
  EXPECT_EQ(cache_url_for(*parse_url("http://cdn.example/edge/index.html?x=1"), cache, "s").str(),
            "http://cdn.example/edge/c/ab/s");
  EXPECT_EQ(cache_url_for(*parse_url("http://cdn.example"), cache, "s").str(),
            "http://cdn.example/c/ab/s");
}

TEST(CacheTarget, AValidationCarriesIfNoneMatchOrIfModifiedSince) {
  Request request;
  EXPECT_FALSE(is_validation(request));
  request.fields.add("If-Match", "\"a\"");
  EXPECT_FALSE(is_validation(request));
  request.fields.add("If-Modified-Since", "Wed, 01 Jan 2020 00:00:00 GMT");
  EXPECT_TRUE(is_validation(request));
}

}  // namespace
}  // namespace condspec
