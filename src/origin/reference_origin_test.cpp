#include "src/origin/reference_origin.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>
#include <string>

#include "src/core/text.h"
#include "src/http/fields.h"
#include "src/http/http_date.h"

namespace condspec {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

const Seconds kNow = std::chrono::sys_days{std::chrono::year{2024} / 7 / 1} + hours{12};
const std::string kNowText = "Mon, 01 Jul 2024 12:00:00 GMT";
const std::string kLastModifiedText = "Sat, 15 Jun 2024 10:00:00 GMT";

// A plain TCP connection, so the test sees exactly the bytes on the wire.
class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~RawConnection() { ::close(fd_); }
  bool connected() const { return connected_; }

  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  // Bytes up to and including the empty line that ends the header section.
  std::string read_head() {
    while (buffer_.find("\r\n\r\n") == std::string::npos) {
      if (!fill(milliseconds{3000})) break;
    }
    auto end = buffer_.find("\r\n\r\n");
    if (end == std::string::npos) return std::exchange(buffer_, {});
    std::string head = buffer_.substr(0, end + 4);
    buffer_.erase(0, end + 4);
    return head;
  }

  std::string read_exactly(size_t n) {
    while (buffer_.size() < n) {
      if (!fill(milliseconds{3000})) break;
    }
    std::string out = buffer_.substr(0, n);
    buffer_.erase(0, out.size());
    return out;
  }

  // Whatever arrives until the connection stays quiet for `quiet`.
  std::string read_stray(milliseconds quiet) {
    while (fill(quiet)) {
    }
    return std::exchange(buffer_, {});
  }

 private:
  bool fill(milliseconds timeout) {
    pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char chunk[4096];
    auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

struct Head {
  int status = 0;
  Fields fields;
};

Head parse_head(std::string_view head) {
  Head parsed;
  auto lines = split(head, '\n');
  if (lines.empty() || lines[0].size() < 12) return parsed;
  parsed.status = std::stoi(std::string(lines[0].substr(9, 3)));
  for (size_t i = 1; i < lines.size(); ++i) {
    auto line = lines[i];
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    parsed.fields.add(std::string(line.substr(0, colon)),
                      std::string(trim(line.substr(colon + 1))));
  }
  return parsed;
}

std::string request(std::string_view method, std::string_view target,
                    const Fields& fields = {}, std::string_view body = {}) {
  std::string text = fmt::format("{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\n", method, target);
  for (const auto& field : fields) text += field.name + ": " + field.value + "\r\n";
  if (!body.empty() || method == "PUT") text += fmt::format("Content-Length: {}\r\n", body.size());
  text += "\r\n";
  text += body;
  return text;
}

// One complete exchange on a fresh connection.
struct Exchange {
  std::string head_bytes;
  Head head;
  std::string content;
  std::string stray;  // bytes after the response's end
};

class OriginTest : public ::testing::Test {
 protected:
  void start(std::set<std::string> faults = {}) {
    origin_.reset();
    auto started = ReferenceOrigin::start({.clock = &clock_, .faults = std::move(faults)});
    ASSERT_TRUE(started.ok()) << started.error().message;
    origin_ = std::move(*started);
  }

  Exchange exchange(std::string_view method, std::string_view target, const Fields& fields = {},
                    std::string_view body = {}, milliseconds quiet = milliseconds{0}) {
    RawConnection connection(origin_->port());
    EXPECT_TRUE(connection.connected());
    connection.send(request(method, target, fields, body));
    Exchange ex;
    ex.head_bytes = connection.read_head();
    ex.head = parse_head(ex.head_bytes);
    bool no_content = method == "HEAD" || ex.head.status == 304 || ex.head.status == 204;
    if (auto length = ex.head.fields.find("Content-Length"); length && !no_content) {
      ex.content = connection.read_exactly(std::stoul(*length));
    }
    if (quiet.count() > 0) ex.stray = connection.read_stray(quiet);
    return ex;
  }

  std::string strong_etag() { return *exchange("GET", "/strong").head.fields.find("ETag"); }

  FixedClock clock_{kNow};
  std::unique_ptr<ReferenceOrigin> origin_;
};

TEST(ReferenceOriginStartTest, RejectsUnknownFaults) {
  auto started = ReferenceOrigin::start({.faults = {"no-such-fault"}});
  ASSERT_FALSE(started.ok());
  std::string known;
  for (const auto& fault : known_faults()) {
    known += known.empty() ? "" : ", ";
    known += fault.name;
  }
  EXPECT_EQ(started.error().message, "unknown fault 'no-such-fault' (known: " + known + ")");
  EXPECT_TRUE(started.error().message.starts_with(
      "unknown fault 'no-such-fault' (known: inm-strong-compare, inm-ignored, "));
}

TEST(ReferenceOriginStartTest, ReportsAPortThatCannotBeBound) {
  auto first = ReferenceOrigin::start({});
  ASSERT_TRUE(first.ok()) << first.error().message;
  int taken = (*first)->port();
  auto second = ReferenceOrigin::start({.port = taken});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().message, fmt::format("cannot listen on 127.0.0.1:{}", taken));
}

TEST(ReferenceOriginStartTest, KnownFaultsAreDistinct) {
  std::set<std::string_view> names, requirements;
  for (const auto& fault : known_faults()) {
    EXPECT_TRUE(names.insert(fault.name).second) << fault.name;
    EXPECT_TRUE(requirements.insert(fault.requirement).second) << fault.requirement;
    EXPECT_FALSE(fault.description.empty());
  }
  EXPECT_EQ(known_faults().size(), 25u);
}

TEST_F(OriginTest, BaseUrlAndStop) {
  start();
  EXPECT_EQ(origin_->base_url(), fmt::format("http://127.0.0.1:{}", origin_->port()));
  origin_->stop();
  origin_->stop();  // idempotent
  RawConnection refused(origin_->port());
  EXPECT_FALSE(refused.connected());
}

}  // namespace
}  // namespace condspec
