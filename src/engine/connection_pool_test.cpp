// The connection pool against the reference origin on 127.0.0.1.

#include "src/engine/connection_pool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "src/origin/reference_origin.h"
#include "src/http/url.h"

namespace condspec {
namespace {

using namespace std::chrono_literals;
Request get() {
  Request request;
  request.target = "/strong";
  return request;
}

ClientOptions quick() {
  ClientOptions options;
  options.connect_timeout = 2000ms;
  options.deadline = 3000ms;
  return options;
}

class ConnectionPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto origin = ReferenceOrigin::start(OriginOptions{&clock_, {}, "127.0.0.1", 0});
    ASSERT_TRUE(origin.ok()) << origin.error().message;
    origin_ = std::move(*origin);
    url_ = *parse_url(origin_->base_url() + "/strong");
  }

  // Takes a transport and sends one GET on it.
  std::unique_ptr<Transport> taken(ConnectionPool& pool, bool fresh,
                                   const ClientOptions& options = quick()) {
    auto transport = pool.take(url_, options, fresh);
    Exchange exchange = transport->send(get()).exchange;
    EXPECT_TRUE(exchange.ok()) << exchange.error;
    return transport;
  }

  // Takes a transport, sends one GET on it and gives it back.
  void use(ConnectionPool& pool, bool fresh, const ClientOptions& options = quick()) {
    pool.give_back(taken(pool, fresh, options), options);
  }

  FixedClock clock_{Seconds{std::chrono::sys_days{std::chrono::year{2026} / 11 / 22}}};
  std::unique_ptr<ReferenceOrigin> origin_;
  Url url_;
};

TEST_F(ConnectionPoolTest, AConnectionGivenBackCleanIsTakenAgain) {
  ConnectionPool pool(6);
  use(pool, false);
  use(pool, false);
  use(pool, false);
  EXPECT_EQ(pool.reused(), 2u);
}

TEST_F(ConnectionPoolTest, AFreshOneIsNeverAUsedOne) {
  ConnectionPool pool(6);
  use(pool, false);
  use(pool, true);
  EXPECT_EQ(pool.reused(), 0u);
}

TEST_F(ConnectionPoolTest, OtherClientOptionsGetTheirOwnConnection) {
  ConnectionPool pool(6);
  use(pool, false);
  ClientOptions other = quick();
  other.deadline = 2500ms;
  use(pool, false, other);
  EXPECT_EQ(pool.reused(), 0u);
  use(pool, false, other);
  EXPECT_EQ(pool.reused(), 1u);
}

TEST_F(ConnectionPoolTest, KeepsNoMoreThanItsBoundOpenToAnOrigin) {
  ConnectionPool pool(2);
  // Three in use at once (more than the bound: only --jobs keeps that),
  // then given back: only two stay open.
  std::vector<std::unique_ptr<Transport>> in_use;
  for (int i = 0; i < 3; ++i) in_use.push_back(taken(pool, false));
  for (auto& transport : in_use) pool.give_back(std::move(transport), quick());
  in_use.clear();
  for (int i = 0; i < 3; ++i) in_use.push_back(taken(pool, false));
  EXPECT_EQ(pool.reused(), 2u);
  for (auto& transport : in_use) pool.give_back(std::move(transport), quick());
  in_use.clear();
  // A fresh one closes an idle one to make room: with it given back, two
  // are idle again, not three.
  use(pool, true);
  for (int i = 0; i < 3; ++i) in_use.push_back(taken(pool, false));
  EXPECT_EQ(pool.reused(), 4u);
  for (auto& transport : in_use) pool.give_back(std::move(transport), quick());
}

}  // namespace
}  // namespace condspec
