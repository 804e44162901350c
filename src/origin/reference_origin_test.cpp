#include "src/origin/reference_origin.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "src/core/text.h"
#include "src/http/fields.h"
#include "src/http/http2_client.h"
#include "src/http/http_date.h"
#include "src/origin/resources.h"

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

std::string request(std::string_view method, std::string_view target, const Fields& fields = {},
                    std::string_view body = {}, std::string_view version = "HTTP/1.1") {
  std::string text = fmt::format("{} {} {}\r\nHost: 127.0.0.1\r\n", method, target, version);
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
  void start(std::set<std::string> faults = {}, Protocol protocol = Protocol::http1_1) {
    origin_.reset();
    auto started = ReferenceOrigin::start(
        {.clock = &clock_, .faults = std::move(faults), .protocol = protocol});
    ASSERT_TRUE(started.ok()) << started.error().message;
    origin_ = std::move(*started);
  }

  Exchange exchange(std::string_view method, std::string_view target, const Fields& fields = {},
                    std::string_view body = {}, milliseconds quiet = milliseconds{0},
                    std::string_view version = "HTTP/1.1") {
    RawConnection connection(origin_->port());
    EXPECT_TRUE(connection.connected());
    connection.send(request(method, target, fields, body, version));
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

  // A GET whose header section goes out in two writes 300 ms apart, the
  // second from the field line named `split_before` on (RFC 9110 5.3).
  Exchange split_exchange(std::string_view target, const Fields& fields,
                          std::string_view split_before) {
    RawConnection connection(origin_->port());
    EXPECT_TRUE(connection.connected());
    std::string text = request("GET", target, fields);
    size_t at = text.find(fmt::format("\r\n{}:", split_before)) + 2;
    connection.send(text.substr(0, at));
    std::this_thread::sleep_for(milliseconds{300});
    connection.send(text.substr(at));
    Exchange ex;
    ex.head_bytes = connection.read_head();
    ex.head = parse_head(ex.head_bytes);
    if (auto length = ex.head.fields.find("Content-Length"); length && ex.head.status != 304) {
      ex.content = connection.read_exactly(std::stoul(*length));
    }
    return ex;
  }

  // One exchange over HTTP/2 with condspec's own HTTP/2 client, for an
  // origin started with Protocol::h2c, or h2 (trusting the origin's own
  // certificate); DATA payload of a bodiless response is the stray.
  Exchange h2c_exchange(std::string_view method, std::string_view target,
                        const Fields& fields = {}) {
    ClientOptions options;
    options.protocol = Protocol::h2c;
    options.deadline = milliseconds{3000};
    const std::string certificate = origin_->certificate_pem();
    const std::string ca_file =
        testing::TempDir() + "condspec-origin-ca-" + std::to_string(::getpid()) + ".pem";
    if (!certificate.empty()) {
      options.protocol = Protocol::h2;
      options.ca_file = ca_file;
      std::FILE* out = std::fopen(ca_file.c_str(), "w");
      std::fputs(certificate.c_str(), out);
      std::fclose(out);
    }
    Http2Client client(*parse_url(origin_->base_url()), options);
    Request r;
    r.method = std::string(method);
    r.target = std::string(target);
    r.fields = fields;
    condspec::Exchange sent = client.send(r).exchange;
    Exchange ex;
    EXPECT_TRUE(sent.response) << sent.error;
    if (!sent.response) return ex;
    ex.head_bytes = sent.response->head;
    ex.head = {sent.response->status, sent.response->fields};
    ex.content = sent.response->content;
    ex.stray = sent.stray_bytes;
    if (!certificate.empty()) std::remove(ca_file.c_str());
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

TEST_F(OriginTest, BaseUrlAndStop) {
  start();
  EXPECT_EQ(origin_->base_url(), fmt::format("http://127.0.0.1:{}", origin_->port()));
  origin_->stop();
  origin_->stop();  // idempotent
  RawConnection refused(origin_->port());
  EXPECT_FALSE(refused.connected());
}

// The exact head of a 200 to GET /strong (cpp-httplib writes fields sorted by name).
std::string strong_200_head(std::string_view etag, std::string_view status_line = "200 OK") {
  return fmt::format(
      "HTTP/1.1 {}\r\n"
      "Accept-Ranges: bytes\r\n"
      "Cache-Control: max-age=60\r\n"
      "Content-Length: {}\r\n"
      "Content-Location: /strong\r\n"
      "Content-Type: text/plain\r\n"
      "Date: Mon, 01 Jul 2024 12:00:00 GMT\r\n"
      "ETag: {}\r\n"
      "Expires: Mon, 01 Jul 2024 12:01:00 GMT\r\n"
      "Keep-Alive: timeout=5, max=1000\r\n"
      "Last-Modified: Sat, 15 Jun 2024 10:00:00 GMT\r\n"
      "Vary: Accept-Encoding\r\n"
      "\r\n",
      status_line, 2144, etag);
}

TEST_F(OriginTest, StrongGetCarriesEveryRepresentationField) {
  start();
  auto ex = exchange("GET", "/strong");
  auto etag = *ex.head.fields.find("ETag");
  EXPECT_EQ(etag.size(), 18u);  // a quoted 16-digit hex digest
  EXPECT_EQ(ex.head_bytes, strong_200_head(etag));
  EXPECT_EQ(ex.content.size(), 2144u);
  EXPECT_TRUE(ex.content.starts_with("condspec reference origin strong   line 01 of 32"));
  // The same bytes give the same tag on every start.
  start();
  EXPECT_EQ(strong_etag(), etag);
}

TEST_F(OriginTest, NotModifiedIsExactlyTheHeadWithoutContent) {
  start();
  auto etag = strong_etag();
  RawConnection connection(origin_->port());
  connection.send(request("GET", "/strong", {{"If-None-Match", etag}}));
  EXPECT_EQ(connection.read_head(),
            "HTTP/1.1 304 Not Modified\r\n"
            "Cache-Control: max-age=60\r\n"
            "Content-Location: /strong\r\n"
            "Date: Mon, 01 Jul 2024 12:00:00 GMT\r\n"
            "ETag: " +
                etag +
                "\r\n"
                "Expires: Mon, 01 Jul 2024 12:01:00 GMT\r\n"
                "Keep-Alive: timeout=5, max=1000\r\n"
                "Last-Modified: Sat, 15 Jun 2024 10:00:00 GMT\r\n"
                "Vary: Accept-Encoding\r\n"
                "\r\n");
  EXPECT_EQ(connection.read_stray(milliseconds{200}), "");
  // The connection stays usable: the next response starts right away.
  connection.send(request("GET", "/strong"));
  EXPECT_EQ(connection.read_head(), strong_200_head(etag));
}

TEST_F(OriginTest, NotModifiedOnWeakAndPlainResources) {
  start();
  auto weak = exchange("GET", "/weak");
  auto weak_etag = *weak.head.fields.find("ETag");
  EXPECT_TRUE(weak_etag.starts_with("W/\""));
  EXPECT_FALSE(weak.head.fields.has("Content-Location"));
  EXPECT_EQ(*weak.head.fields.find("Accept-Ranges"), "bytes");
  // /weak serves ranges, but If-Range never holds with its weak tag.
  EXPECT_EQ(exchange("GET", "/weak", {{"Range", "bytes=0-0"}}).head.status, 206);
  EXPECT_EQ(exchange("GET", "/weak", {{"Range", "bytes=0-0"}, {"If-Range", weak_etag}}).head.status,
            200);
  auto not_modified = exchange("GET", "/weak", {{"If-None-Match", weak_etag}});
  EXPECT_EQ(not_modified.head.status, 304);
  std::vector<std::string> names;
  for (const auto& field : not_modified.head.fields) names.push_back(field.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Cache-Control", "Date", "ETag", "Expires",
                                             "Keep-Alive", "Last-Modified", "Vary"}));

  auto plain = exchange("GET", "/plain");
  EXPECT_EQ(plain.head.status, 200);
  EXPECT_FALSE(plain.head.fields.has("ETag"));
  EXPECT_FALSE(plain.head.fields.has("Last-Modified"));
  EXPECT_EQ(exchange("GET", "/plain", {{"If-None-Match", "*"}}).head.status, 304);
  EXPECT_EQ(exchange("GET", "/plain", {{"If-Match", "*"}}).head.status, 200);
  EXPECT_EQ(exchange("GET", "/plain", {{"If-Match", "\"x\""}}).head.status, 412);
  EXPECT_EQ(exchange("GET", "/plain", {{"If-Modified-Since", kNowText}}).head.status, 200);
}

TEST_F(OriginTest, HeadMirrorsGetWithoutContent) {
  start();
  auto etag = strong_etag();
  auto head = exchange("HEAD", "/strong", {}, {}, milliseconds{200});
  EXPECT_EQ(head.head_bytes, strong_200_head(etag));
  EXPECT_EQ(head.stray, "");
  auto get = exchange("GET", "/weak");
  auto weak_head = exchange("HEAD", "/weak");
  EXPECT_EQ(weak_head.head_bytes, get.head_bytes);
  EXPECT_EQ(exchange("HEAD", "/strong", {{"If-None-Match", etag}}).head.status, 304);
  // Range applies to GET only.
  EXPECT_EQ(exchange("HEAD", "/strong", {{"Range", "bytes=0-0"}}).head.status, 200);
}

std::string gunzip(const std::string& coded) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) return {};
  std::string plain(65536, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(coded.data()));
  stream.avail_in = static_cast<uInt>(coded.size());
  stream.next_out = reinterpret_cast<Bytef*>(plain.data());
  stream.avail_out = static_cast<uInt>(plain.size());
  const bool done = inflate(&stream, Z_FINISH) == Z_STREAM_END;
  plain.resize(stream.total_out);
  inflateEnd(&stream);
  return done ? plain : "(not gzip)";
}

TEST_F(OriginTest, StrongHasAGzipVariantWithItsOwnStrongTag) {
  start();
  auto plain = exchange("GET", "/strong");
  auto identity_tag = *plain.head.fields.find("ETag");
  for (const auto* accept : {"gzip, br", "x-gzip", "br;q=1, gzip;q=0.5", "*"}) {
    auto coded = exchange("GET", "/strong", {{"Accept-Encoding", accept}});
    EXPECT_EQ(*coded.head.fields.find("Content-Encoding"), "gzip") << accept;
    EXPECT_EQ(gunzip(coded.content), plain.content) << accept;
    EXPECT_EQ(*coded.head.fields.find("Content-Length"), std::to_string(coded.content.size()));
    EXPECT_EQ(*coded.head.fields.find("Vary"), "Accept-Encoding");
    auto tag = *coded.head.fields.find("ETag");
    EXPECT_FALSE(tag.starts_with("W/")) << tag;
    EXPECT_NE(tag, identity_tag);
  }
  for (const auto* refused : {"gzip;q=0", "br", "*;q=0", "identity", "gzip;q=0, *"}) {
    auto uncoded = exchange("GET", "/strong", {{"Accept-Encoding", refused}});
    EXPECT_FALSE(uncoded.head.fields.has("Content-Encoding")) << refused;
    EXPECT_EQ(uncoded.content, plain.content) << refused;
  }
  EXPECT_FALSE(
      exchange("GET", "/weak", {{"Accept-Encoding", "gzip"}}).head.fields.has("Content-Encoding"));
}

TEST_F(OriginTest, GzipVariantIsJudgedAndServedOnItsOwn) {
  start();
  const Field gzip{"Accept-Encoding", "gzip"};
  auto identity_tag = strong_etag();
  auto coded = exchange("GET", "/strong", {gzip});
  auto tag = *coded.head.fields.find("ETag");
  // Preconditions use the selected variant's tag.
  auto revalidated = exchange("GET", "/strong", {gzip, {"If-None-Match", tag}});
  EXPECT_EQ(revalidated.head.status, 304);
  EXPECT_EQ(*revalidated.head.fields.find("ETag"), tag);
  EXPECT_EQ(*revalidated.head.fields.find("Vary"), "Accept-Encoding");
  EXPECT_FALSE(revalidated.head.fields.has("Content-Encoding"));
  EXPECT_EQ(exchange("GET", "/strong", {gzip, {"If-None-Match", identity_tag}}).head.status, 200);
  EXPECT_EQ(exchange("GET", "/strong", {{"If-None-Match", tag}}).head.status, 200);
  EXPECT_EQ(exchange("GET", "/strong", {gzip, {"If-Match", identity_tag}}).head.status, 412);
  // HEAD matches GET for the same Accept-Encoding.
  auto head = exchange("HEAD", "/strong", {gzip});
  EXPECT_EQ(head.head.fields, coded.head.fields);
  // Ranges are ranges of the coded bytes.
  auto part = exchange("GET", "/strong", {gzip, {"Range", "bytes=0-1"}, {"If-Range", tag}});
  EXPECT_EQ(part.head.status, 206);
  EXPECT_EQ(*part.head.fields.find("Content-Range"),
            fmt::format("bytes 0-1/{}", coded.content.size()));
  EXPECT_EQ(*part.head.fields.find("Content-Encoding"), "gzip");
  EXPECT_EQ(part.content, coded.content.substr(0, 2));
  EXPECT_EQ(exchange("GET", "/strong", {gzip, {"Range", "bytes=0-1"}, {"If-Range", identity_tag}})
                .head.status,
            200);
}

TEST_F(OriginTest, LastModifiedIsNeverLaterThanDate) {
  clock_.set(std::chrono::sys_days{std::chrono::year{2024} / 6 / 1});
  start();
  auto ex = exchange("GET", "/strong");
  EXPECT_EQ(*ex.head.fields.find("Date"), "Sat, 01 Jun 2024 00:00:00 GMT");
  EXPECT_EQ(*ex.head.fields.find("Last-Modified"), "Sat, 01 Jun 2024 00:00:00 GMT");
  // That Last-Modified is the one preconditions see; it is weak (8.8.2.2).
  EXPECT_EQ(exchange("GET", "/strong", {{"If-Modified-Since", "Sat, 01 Jun 2024 00:00:00 GMT"}})
                .head.status,
            304);
  EXPECT_EQ(exchange("GET", "/strong",
                     {{"Range", "bytes=0-0"}, {"If-Range", "Sat, 01 Jun 2024 00:00:00 GMT"}})
                .head.status,
            200);
}

TEST_F(OriginTest, ErrorResponsesCarryDate) {
  start();
  auto missing = exchange("GET", "/nothing", {{"If-None-Match", "*"}});
  EXPECT_EQ(missing.head_bytes,
            "HTTP/1.1 404 Not Found\r\n"
            "Content-Length: 0\r\n"
            "Date: Mon, 01 Jul 2024 12:00:00 GMT\r\n"
            "Keep-Alive: timeout=5, max=1000\r\n"
            "\r\n");
  auto not_allowed = exchange("POST", "/strong", {{"If-Match", "\"zz\""}});
  EXPECT_EQ(not_allowed.head_bytes,
            "HTTP/1.1 405 Method Not Allowed\r\n"
            "Allow: GET, HEAD, OPTIONS\r\n"
            "Content-Length: 0\r\n"
            "Date: Mon, 01 Jul 2024 12:00:00 GMT\r\n"
            "Keep-Alive: timeout=5, max=1000\r\n"
            "\r\n");
  auto failed = exchange("GET", "/strong", {{"If-Match", "\"zz\""}});
  EXPECT_EQ(failed.head.status, 412);
  EXPECT_EQ(*failed.head.fields.find("Date"), kNowText);
  // A request cpp-httplib rejects by itself still gets a Date.
  RawConnection connection(origin_->port());
  connection.send("BREW /strong HTTP/1.1\r\nHost: x\r\n\r\n");
  auto rejected = parse_head(connection.read_head());
  EXPECT_EQ(rejected.status, 400);
  EXPECT_EQ(*rejected.fields.find("Date"), kNowText);
}

TEST_F(OriginTest, OptionsAndOtherMethodsIgnorePreconditions) {
  start();
  auto options = exchange("OPTIONS", "/strong", {{"If-Match", "\"zz\""}});
  EXPECT_EQ(options.head_bytes,
            "HTTP/1.1 204 No Content\r\n"
            "Allow: GET, HEAD, OPTIONS\r\n"
            "Date: Mon, 01 Jul 2024 12:00:00 GMT\r\n"
            "Keep-Alive: timeout=5, max=1000\r\n"
            "\r\n");
  EXPECT_EQ(exchange("OPTIONS", "/writable", {{"If-None-Match", "*"}}).head.status, 204);
  EXPECT_EQ(*exchange("OPTIONS", "*").head.fields.find("Allow"), "GET, HEAD, PUT, DELETE, OPTIONS");
  EXPECT_EQ(exchange("OPTIONS", "/nothing").head.status, 404);
  EXPECT_EQ(exchange("PUT", "/strong", {{"If-None-Match", "*"}}, "x").head.status, 405);
  EXPECT_EQ(exchange("DELETE", "/weak", {{"If-Match", "\"zz\""}}).head.status, 405);
  EXPECT_EQ(exchange("TRACE", "/strong", {{"If-Match", "\"zz\""}}).head.status, 405);
}

TEST_F(OriginTest, ByteRanges) {
  start();
  auto etag = strong_etag();
  auto full = exchange("GET", "/strong").content;
  struct Case {
    std::string range;
    int status;
    std::string content_range;
    std::string content;
  };
  const Case cases[] = {
      {"bytes=0-9", 206, "bytes 0-9/2144", full.substr(0, 10)},
      {"bytes=2140-", 206, "bytes 2140-2143/2144", full.substr(2140)},
      {"bytes=-3", 206, "bytes 2141-2143/2144", full.substr(2141)},
      {"bytes=-5000", 206, "bytes 0-2143/2144", full},
      {"bytes=2000-9999", 206, "bytes 2000-2143/2144", full.substr(2000)},
      {"BYTES=0-0", 206, "bytes 0-0/2144", full.substr(0, 1)},
      {"bytes=2144-", 416, "bytes */2144", ""},
      {"bytes=-0", 416, "bytes */2144", ""},
      {"bytes=0-1,3-4", 200, "", full},  // several ranges: served whole
      {"bytes=5-2", 200, "", full},      // invalid: ignored
      {"bytes=abc", 200, "", full},
      {"items=0-1", 200, "", full},
  };
  for (const auto& c : cases) {
    auto ex = exchange("GET", "/strong", {{"Range", c.range}});
    EXPECT_EQ(ex.head.status, c.status) << c.range;
    auto content_range = ex.head.fields.find("Content-Range");
    EXPECT_EQ(content_range ? *content_range : "", c.content_range) << c.range;
    EXPECT_EQ(ex.content, c.content) << c.range;
    EXPECT_EQ(*ex.head.fields.find("Date"), kNowText) << c.range;
  }
  auto partial = exchange("GET", "/strong", {{"Range", "bytes=0-0"}, {"If-Range", etag}});
  EXPECT_EQ(partial.head.status, 206);
  EXPECT_EQ(*partial.head.fields.find("ETag"), etag);
  EXPECT_EQ(
      exchange("GET", "/strong", {{"Range", "bytes=0-0"}, {"If-Range", "\"zz\""}}).head.status,
      200);
  EXPECT_EQ(exchange("GET", "/strong", {{"Range", "bytes=0-0"}, {"If-Range", kLastModifiedText}})
                .head.status,
            206);
  // A false If-Range outranks an unsatisfiable range.
  EXPECT_EQ(
      exchange("GET", "/strong", {{"Range", "bytes=9999-"}, {"If-Range", "\"zz\""}}).head.status,
      200);
  EXPECT_EQ(
      exchange("GET", "/strong", {{"Range", "bytes=0-0"}, {"If-None-Match", etag}}).head.status,
      304);
  // /plain serves no ranges.
  EXPECT_EQ(exchange("GET", "/plain", {{"Range", "bytes=0-0"}}).head.status, 200);
  EXPECT_EQ(exchange("GET", "/plain", {{"Range", "bytes=0-0"}, {"If-Range", "\"zz\""}}).head.status,
            200);
}

TEST_F(OriginTest, PartialContentCarriesTheMetadataItMust) {
  start();
  auto etag = strong_etag();
  // Without If-Range: every field of the 200 (15.3.7), plus Content-Range.
  auto full = exchange("GET", "/strong", {{"Range", "bytes=0-1"}});
  EXPECT_EQ(full.head_bytes,
            "HTTP/1.1 206 Partial Content\r\n"
            "Accept-Ranges: bytes\r\n"
            "Cache-Control: max-age=60\r\n"
            "Content-Length: 2\r\n"
            "Content-Location: /strong\r\n"
            "Content-Range: bytes 0-1/2144\r\n"
            "Content-Type: text/plain\r\n"
            "Date: Mon, 01 Jul 2024 12:00:00 GMT\r\n"
            "ETag: " +
                etag +
                "\r\n"
                "Expires: Mon, 01 Jul 2024 12:01:00 GMT\r\n"
                "Keep-Alive: timeout=5, max=1000\r\n"
                "Last-Modified: Sat, 15 Jun 2024 10:00:00 GMT\r\n"
                "Vary: Accept-Encoding\r\n"
                "\r\n");
  EXPECT_EQ(full.content, "co");
  // Answering If-Range: the required fields only, no Content-Type or
  // Last-Modified, which the client already has.
  auto lean = exchange("GET", "/strong", {{"Range", "bytes=0-1"}, {"If-Range", etag}});
  EXPECT_EQ(lean.head_bytes,
            "HTTP/1.1 206 Partial Content\r\n"
            "Accept-Ranges: bytes\r\n"
            "Cache-Control: max-age=60\r\n"
            "Content-Length: 2\r\n"
            "Content-Location: /strong\r\n"
            "Content-Range: bytes 0-1/2144\r\n"
            "Date: Mon, 01 Jul 2024 12:00:00 GMT\r\n"
            "ETag: " +
                etag +
                "\r\n"
                "Expires: Mon, 01 Jul 2024 12:01:00 GMT\r\n"
                "Keep-Alive: timeout=5, max=1000\r\n"
                "Vary: Accept-Encoding\r\n"
                "\r\n");
  EXPECT_EQ(lean.content, "co");
  // A false If-Range gets the whole 200 with all of its fields.
  auto whole = exchange("GET", "/strong", {{"Range", "bytes=0-1"}, {"If-Range", "\"zz\""}});
  EXPECT_EQ(whole.head_bytes, strong_200_head(etag));
}

TEST_F(OriginTest, RangeFaultsChangeOnlyTheirOwnCase) {
  auto etag = [&] { return strong_etag(); };
  start({"range-416-before-if-range"});
  EXPECT_EQ(
      exchange("GET", "/strong", {{"Range", "bytes=2144-"}, {"If-Range", etag()}}).head.status,
      416);
  EXPECT_EQ(
      exchange("GET", "/strong", {{"Range", "bytes=0-0"}, {"If-Range", "\"zz\""}}).head.status,
      200);
  EXPECT_EQ(
      exchange("GET", "/plain", {{"Range", "bytes=9999-"}, {"If-Range", "\"zz\""}}).head.status,
      200);

  start({"range-unknown-unit-416"});
  EXPECT_EQ(exchange("GET", "/strong", {{"Range", "bytes=0-0"}}).head.status, 206);
  EXPECT_EQ(
      exchange("GET", "/strong", {{"Range", "items=0-0"}, {"If-Range", "\"zz\""}}).head.status,
      200);
  EXPECT_EQ(exchange("GET", "/plain", {{"Range", "items=0-0"}}).head.status, 200);

  start({"range-on-head"});
  auto head = exchange("HEAD", "/strong", {{"Range", "bytes=0-0"}}, {}, milliseconds{200});
  EXPECT_EQ(head.head.status, 206);
  EXPECT_EQ(*head.head.fields.find("Content-Range"), "bytes 0-0/2144");
  EXPECT_EQ(*head.head.fields.find("Content-Length"), "1");
  EXPECT_EQ(head.stray, "");
  EXPECT_EQ(exchange("HEAD", "/plain", {{"Range", "bytes=0-0"}}).head.status, 200);

  start({"if-range-partial-on-head"});
  EXPECT_EQ(exchange("HEAD", "/strong", {{"Range", "bytes=0-0"}}).head.status, 200);
  EXPECT_EQ(
      exchange("HEAD", "/strong", {{"Range", "bytes=0-0"}, {"If-Range", "\"zz\""}}).head.status,
      200);

  start({"206-if-range-drops-etag"});
  auto dropped = exchange("GET", "/strong", {{"Range", "bytes=0-0"}, {"If-Range", etag()}});
  EXPECT_FALSE(dropped.head.fields.has("Content-Location"));
  EXPECT_TRUE(exchange("GET", "/strong", {{"Range", "bytes=0-0"}}).head.fields.has("ETag"));

  start({"206-if-range-full-metadata"});
  auto full = exchange("GET", "/strong", {{"Range", "bytes=0-0"}, {"If-Range", etag()}});
  EXPECT_EQ(*full.head.fields.find("Last-Modified"), kLastModifiedText);

  start({"206-lean-without-if-range"});
  auto lean = exchange("GET", "/strong", {{"Range", "bytes=0-0"}});
  EXPECT_FALSE(lean.head.fields.has("Last-Modified"));
  EXPECT_TRUE(lean.head.fields.has("ETag"));

  start({"206-no-content-range"});
  auto no_range = exchange("GET", "/strong", {{"Range", "bytes=1-2"}});
  EXPECT_EQ(no_range.head.status, 206);
  EXPECT_EQ(no_range.content, "on");
}

TEST_F(OriginTest, WritableResourceLifecycle) {
  start();
  EXPECT_EQ(exchange("GET", "/writable", {{"If-None-Match", "*"}}).head.status, 404);
  EXPECT_EQ(exchange("DELETE", "/writable", {{"If-Match", "*"}}).head.status, 404);
  EXPECT_EQ(exchange("PUT", "/writable", {{"If-Match", "*"}}, "first").head.status, 412);
  EXPECT_EQ(exchange("GET", "/writable").head.status, 404);

  auto created =
      exchange("PUT", "/writable", {{"If-None-Match", "*"}, {"Content-Type", "text/x"}}, "first");
  EXPECT_EQ(created.head.status, 201);
  auto first_tag = *created.head.fields.find("ETag");
  EXPECT_EQ(*created.head.fields.find("Last-Modified"), kNowText);
  auto got = exchange("GET", "/writable");
  EXPECT_EQ(got.head.status, 200);
  EXPECT_EQ(got.content, "first");
  EXPECT_EQ(*got.head.fields.find("ETag"), first_tag);
  EXPECT_EQ(*got.head.fields.find("Content-Type"), "text/x");
  EXPECT_EQ(exchange("PUT", "/writable", {{"If-None-Match", "*"}}, "again").head.status, 412);
  EXPECT_EQ(exchange("PUT", "/writable", {{"If-None-Match", first_tag}}, "again").head.status, 412);
  EXPECT_EQ(exchange("PUT", "/writable", {{"If-Match", "\"stale\""}}, "again").head.status, 412);
  EXPECT_EQ(exchange("GET", "/writable").content, "first");

  clock_.set(kNow + seconds{5});
  auto replaced = exchange("PUT", "/writable", {{"If-Match", first_tag}}, "second");
  EXPECT_EQ(replaced.head_bytes,
            "HTTP/1.1 204 No Content\r\n"
            "Date: Mon, 01 Jul 2024 12:00:05 GMT\r\n"
            "ETag: " +
                *replaced.head.fields.find("ETag") +
                "\r\n"
                "Keep-Alive: timeout=5, max=1000\r\n"
                "Last-Modified: Mon, 01 Jul 2024 12:00:05 GMT\r\n"
                "\r\n");
  EXPECT_NE(*replaced.head.fields.find("ETag"), first_tag);
  EXPECT_EQ(exchange("GET", "/writable").content, "second");
  EXPECT_EQ(exchange("GET", "/writable", {{"If-None-Match", *replaced.head.fields.find("ETag")}})
                .head.status,
            304);
  // Modified within the same second as Date: the date is weak for If-Range.
  EXPECT_EQ(exchange("GET", "/writable",
                     {{"Range", "bytes=0-0"}, {"If-Range", "Mon, 01 Jul 2024 12:00:05 GMT"}})
                .head.status,
            200);
  clock_.set(kNow + seconds{6});
  EXPECT_EQ(exchange("GET", "/writable",
                     {{"Range", "bytes=0-0"}, {"If-Range", "Mon, 01 Jul 2024 12:00:05 GMT"}})
                .head.status,
            206);

  EXPECT_EQ(exchange("DELETE", "/writable", {{"If-Match", first_tag}}).head.status, 412);
  EXPECT_EQ(exchange("DELETE", "/writable").head_bytes,
            "HTTP/1.1 204 No Content\r\n"
            "Date: Mon, 01 Jul 2024 12:00:06 GMT\r\n"
            "Keep-Alive: timeout=5, max=1000\r\n"
            "\r\n");
  EXPECT_EQ(exchange("GET", "/writable").head.status, 404);
  EXPECT_EQ(exchange("DELETE", "/writable").head.status, 404);
}

TEST_F(OriginTest, ServesManyKeepAliveConnectionsAtOnce) {
  start();
  std::vector<std::unique_ptr<RawConnection>> open;
  for (int i = 0; i < 12; ++i) {
    open.push_back(std::make_unique<RawConnection>(origin_->port()));
    open.back()->send(request("HEAD", "/strong"));
    EXPECT_EQ(parse_head(open.back()->read_head()).status, 200) << i;
  }
}

// --- Faults: each one is visible, and invisible without it ---

struct FaultProbe {
  std::string fault;
  std::string method;
  std::string target;
  Fields fields;
  // True when the response shows the fault's deviation.
  std::function<bool(const Exchange&)> shows_fault;
  // Probes of /writable: the content stored first (none: the resource is
  // absent), the probe's own content, and whether the fault shows in a GET
  // that follows rather than in the probe's answer.
  std::optional<std::string> stored = std::nullopt;
  std::string body = {};
  bool judge_following_get = false;
  std::string version = "HTTP/1.1";
  // Sent in two writes, the second from this field line on (see split_exchange).
  std::string split_before = {};
};

// The origin's strong tag for content (an FNV-1a digest), to recognise it.
std::string digest_tag(std::string_view content) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : content) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return fmt::format("\"{:016x}\"", hash);
}

bool status_is(const Exchange& ex, int status) {
  return ex.head.status == status;
}

// Long on purpose: it is the table of probes, one entry per fault.
std::vector<FaultProbe> fault_probes(const std::string& etag) {
  auto weak_form = "W/" + etag;
  auto status = [](int s) { return [s](const Exchange& ex) { return status_is(ex, s); }; };
  auto lacks = [](std::string name) {
    return [name](const Exchange& ex) { return !ex.head.fields.has(name); };
  };
  Fields inm{{"If-None-Match", etag}};
  auto day_before = "Fri, 14 Jun 2024 10:00:00 GMT";
  auto second_before = "Sat, 15 Jun 2024 09:59:59 GMT";
  Field range{"Range", "bytes=0-0"};
  Field gzip{"Accept-Encoding", "gzip"};
  return {
      {"inm-strong-compare", "GET", "/strong", {{"If-None-Match", weak_form}}, status(200)},
      {"inm-ignored", "GET", "/strong", inm, status(200)},
      {"inm-star-ignored", "GET", "/strong", {{"If-None-Match", "*"}}, status(200)},
      {"inm-first-tag-only", "GET", "/strong", {{"If-None-Match", "\"zz\", " + etag}}, status(200)},
      {"inm-empty-elements-rejected",
       "GET",
       "/strong",
       {{"If-None-Match", ", " + etag + " ,, \"zz\""}},
       status(200)},
      {"inm-first-line-only",
       "GET",
       "/strong",
       {{"If-None-Match", "\"zz\""}, {"If-None-Match", etag}},
       status(200)},
      {"inm-412-on-get", "HEAD", "/strong", inm, status(412)},
      {"ims-ignored", "GET", "/strong", {{"If-Modified-Since", kLastModifiedText}}, status(200)},
      {"ims-with-inm",
       "GET",
       "/strong",
       {{"If-None-Match", etag}, {"If-Modified-Since", day_before}},
       status(200)},
      {"ims-rfc850-unparsed",
       "GET",
       "/strong",
       {{"If-Modified-Since", "Saturday, 15-Jun-24 10:00:00 GMT"}},
       status(200)},
      {"ims-asctime-unparsed",
       "GET",
       "/strong",
       {{"If-Modified-Since", "Sat Jun 15 10:00:00 2024"}},
       status(200)},
      {"ims-two-digit-year-future",
       "GET",
       "/strong",
       {{"If-Modified-Since", "Sunday, 06-Nov-94 08:49:37 GMT"}},
       status(304)},
      {"ims-invalid-412", "GET", "/strong", {{"If-Modified-Since", "yesterday"}}, status(412)},
      {"ims-list-honoured",
       "GET",
       "/strong",
       {{"If-Modified-Since", kLastModifiedText + ", " + kLastModifiedText}},
       status(304)},
      {"ims-one-second-slack",
       "GET",
       "/strong",
       {{"If-Modified-Since", second_before}},
       status(304)},
      {"inm-substring-match",
       "GET",
       "/strong",
       {{"If-None-Match", "\"" + etag.substr(1, etag.size() - 2) + "x\""}},
       status(304)},
      {"inm-no-etag-304", "GET", "/plain", {{"If-None-Match", "\"zz\""}}, status(304)},
      {"inm-true-empty-200",
       "GET",
       "/strong",
       {{"If-None-Match", "\"zz\""}},
       [](const Exchange& ex) { return status_is(ex, 200) && ex.content.empty(); }},
      {"head-ignores-conditionals", "HEAD", "/strong", inm, status(200)},
      {"ims-exact-match-only", "GET", "/strong", {{"If-Modified-Since", kNowText}}, status(200)},
      {"ims-overrides-inm",
       "GET",
       "/strong",
       {{"If-None-Match", "\"zz\""}, {"If-Modified-Since", kLastModifiedText}},
       status(304)},
      {"ims-future-412",
       "GET",
       "/strong",
       {{"If-Modified-Since", "Tue, 02 Jul 2024 12:00:00 GMT"}},
       status(412)},
      {"inm-unsafe-304", "PUT", "/writable", {{"If-None-Match", "*"}}, status(304), "old", "new"},
      {"inm-star-absent-412",
       "PUT",
       "/writable",
       {{"If-None-Match", "*"}},
       status(412),
       std::nullopt,
       "new"},
      {"412-after-applying",
       "PUT",
       "/writable",
       {{"If-None-Match", "*"}},
       [](const Exchange& ex) { return ex.content == "new"; },
       "old",
       "new",
       true},
      {"im-ignored", "GET", "/strong", {{"If-Match", "\"zz\""}}, status(200)},
      {"im-weak-compare", "GET", "/strong", {{"If-Match", weak_form}}, status(200)},
      {"im-whole-value", "GET", "/strong", {{"If-Match", "\"zz\", " + etag}}, status(412)},
      {"im-no-etag-true", "GET", "/plain", {{"If-Match", "\"zz\""}}, status(200)},
      {"im-star-needs-etag", "GET", "/plain", {{"If-Match", "*"}}, status(412)},
      {"im-star-absent-true",
       "PUT",
       "/writable",
       {{"If-Match", "*"}},
       status(201),
       std::nullopt,
       "new"},
      {"im-skipped-for-ranges",
       "GET",
       "/strong",
       {{"If-Match", "\"zz\""}, {"Range", "bytes=0-0"}},
       status(206)},
      {"ius-ignored", "GET", "/strong", {{"If-Unmodified-Since", day_before}}, status(200)},
      {"ius-equal-fails",
       "GET",
       "/strong",
       {{"If-Unmodified-Since", kLastModifiedText}},
       status(412)},
      {"ius-with-im",
       "GET",
       "/strong",
       {{"If-Match", etag}, {"If-Unmodified-Since", day_before}},
       status(412)},
      {"ius-invalid-412", "GET", "/strong", {{"If-Unmodified-Since", "yesterday"}}, status(412)},
      {"ius-no-date-412",
       "GET",
       "/plain",
       {{"If-Unmodified-Since", kLastModifiedText}},
       status(412)},
      {"ius-skipped-for-ranges",
       "GET",
       "/strong",
       {{"If-Unmodified-Since", day_before}, {"Range", "bytes=0-0"}},
       status(206)},
      {"inm-before-im",
       "GET",
       "/strong",
       {{"If-Match", "\"zz\""}, {"If-None-Match", etag}},
       status(304)},
      {"ims-before-im",
       "GET",
       "/strong",
       {{"If-Match", "\"zz\""}, {"If-Modified-Since", kLastModifiedText}},
       status(304)},
      {"range-before-im",
       "GET",
       "/strong",
       {{"If-Match", "\"zz\""}, {"Range", "bytes=2144-"}},
       status(416)},
      {"im-true-skips-inm",
       "GET",
       "/strong",
       {{"If-Match", etag}, {"If-None-Match", etag}},
       status(200)},
      {"inm-before-ius",
       "GET",
       "/strong",
       {{"If-Unmodified-Since", day_before}, {"If-None-Match", etag}},
       status(304)},
      {"ius-true-skips-inm",
       "GET",
       "/strong",
       {{"If-Unmodified-Since", kNowText}, {"If-None-Match", etag}},
       status(200)},
      {"date-twice",
       "GET",
       "/strong",
       {},
       [](const Exchange& ex) { return ex.head.fields.all("Date").size() == 2; }},
      {"head-content-length-zero",
       "HEAD",
       "/strong",
       {},
       [](const Exchange& ex) { return *ex.head.fields.find("Content-Length") == "0"; }},
      {"head-drops-etag", "HEAD", "/strong", {}, lacks("ETag")},
      {"head-drops-generated-etag", "HEAD", "/generated", {}, lacks("ETag")},
      {"body-after-304", "GET", "/strong", inm,
       [](const Exchange& ex) { return ex.stray.size() == 2144; }},
      {"cl-zero-in-304", "GET", "/strong", inm,
       [](const Exchange& ex) {
         auto length = ex.head.fields.find("Content-Length");
         return length && *length == "0";
       }},
      {"304-drops-etag", "GET", "/strong", inm, lacks("ETag")},
      {"304-drops-cache-control", "GET", "/strong", inm, lacks("Cache-Control")},
      {"304-drops-expires", "GET", "/strong", inm, lacks("Expires")},
      {"304-drops-vary", "GET", "/strong", inm, lacks("Vary")},
      {"304-drops-content-location", "GET", "/strong", inm, lacks("Content-Location")},
      {"304-drops-date", "GET", "/strong", inm, lacks("Date")},
      {"304-content-type", "GET", "/strong", inm,
       [](const Exchange& ex) { return ex.head.fields.has("Content-Type"); }},
      {"body-after-head",
       "HEAD",
       "/strong",
       {},
       [](const Exchange& ex) { return ex.stray.size() == 2144; }},
      {"lm-after-date",
       "GET",
       "/strong",
       {},
       [](const Exchange& ex) {
         return *ex.head.fields.find("Last-Modified") == "Wed, 03 Jul 2024 00:00:00 GMT";
       }},
      {"etag-unquoted",
       "GET",
       "/strong",
       {},
       [](const Exchange& ex) { return !ex.head.fields.find("ETag")->starts_with("\""); }},
      {"date-rfc850",
       "GET",
       "/strong",
       {},
       [](const Exchange& ex) {
         return *ex.head.fields.find("Date") == "Monday, 01-Jul-24 12:00:00 GMT";
       }},
      {"if-range-without-range-412", "GET", "/strong", {{"If-Range", "\"zz\""}}, status(412)},
      {"if-range-412-without-ranges",
       "GET",
       "/plain",
       {range, {"If-Range", "\"zz\""}},
       status(412)},
      {"if-range-tag-never-matches", "GET", "/strong", {range, {"If-Range", etag}}, status(200)},
      {"if-range-ignored", "GET", "/strong", {range, {"If-Range", "\"zz\""}}, status(206)},
      {"if-range-weak-compare", "GET", "/strong", {range, {"If-Range", weak_form}}, status(206)},
      {"if-range-date-not-after",
       "GET",
       "/strong",
       {range, {"If-Range", "Sat, 15 Jun 2024 10:00:01 GMT"}},
       status(206)},
      {"if-range-date-first",
       "GET",
       "/strong",
       {range, {"If-Range", "\"" + kLastModifiedText + "\""}},
       status(206)},
      {"range-before-validation", "GET", "/strong", {range, {"If-None-Match", etag}}, status(206)},
      {"range-on-head", "HEAD", "/strong", {range}, status(206)},
      {"range-ignored-with-inm",
       "GET",
       "/strong",
       {range, {"If-None-Match", "\"zz\""}},
       status(200)},
      {"range-416-before-if-range",
       "GET",
       "/strong",
       {{"Range", "bytes=2144-"}, {"If-Range", "\"zz\""}},
       status(416)},
      {"206-if-range-drops-etag",
       "GET",
       "/strong",
       {range, {"If-Range", etag}},
       [](const Exchange& ex) { return status_is(ex, 206) && !ex.head.fields.has("ETag"); }},
      {"206-if-range-full-metadata",
       "GET",
       "/strong",
       {range, {"If-Range", etag}},
       [](const Exchange& ex) { return ex.head.fields.has("Content-Type"); }},
      {"206-lean-without-if-range",
       "GET",
       "/strong",
       {range},
       [](const Exchange& ex) {
         return status_is(ex, 206) && !ex.head.fields.has("Content-Type");
       }},
      {"206-no-content-range",
       "GET",
       "/strong",
       {range},
       [](const Exchange& ex) {
         return status_is(ex, 206) && !ex.head.fields.has("Content-Range");
       }},
      {"if-range-before-inm",
       "GET",
       "/strong",
       {{"If-None-Match", etag}, range, {"If-Range", etag}},
       status(206)},
      {"if-range-before-ims",
       "GET",
       "/strong",
       {{"If-Modified-Since", kLastModifiedText}, range, {"If-Range", etag}},
       status(206)},
      {"if-range-partial-on-head", "HEAD", "/strong", {range, {"If-Range", etag}}, status(206)},
      {"range-unknown-unit-416", "GET", "/strong", {{"Range", "items=0-0"}}, status(416)},
      {"range-206-whole-content",
       "GET",
       "/strong",
       {range},
       [](const Exchange& ex) { return status_is(ex, 206) && ex.content.size() > 1; }},
      {"range-suffix-as-prefix",
       "GET",
       "/strong",
       {{"Range", "bytes=-5"}},
       [](const Exchange& ex) { return status_is(ex, 206) && ex.content.size() == 6; }},
      {"if-range-unknown-unit-416",
       "GET",
       "/strong",
       {{"Range", "items=0-0"}, {"If-Range", etag}},
       status(416)},
      {"404-without-date", "GET", "/nothing-here", {}, lacks("Date")},
      {"412-without-date", "GET", "/strong", {{"If-Match", "\"zz\""}}, lacks("Date")},
      {"missing-412-before-404", "GET", "/nothing-here", {{"If-Match", "\"zz\""}}, status(412)},
      {"missing-304-with-inm", "GET", "/nothing-here", {{"If-None-Match", "*"}}, status(304)},
      {"options-evaluates-preconditions",
       "OPTIONS",
       "/strong",
       {{"If-Match", "\"zz\""}},
       status(412)},
      {"ims-on-put-304",
       "PUT",
       "/writable",
       {{"If-Modified-Since", kNowText}},
       status(304),
       "stored content",
       "new content"},
      {"lm-asctime",
       "GET",
       "/strong",
       {},
       [](const Exchange& ex) {
         return *ex.head.fields.find("Last-Modified") == "Sat Jun 15 10:00:00 2024";
       }},
      {"ims-asctime-local-west",
       "GET",
       "/strong",
       {{"If-Modified-Since", "Sat Jun 15 09:00:00 2024"}},
       status(304)},
      {"expires-extra-space",
       "GET",
       "/strong",
       {},
       [](const Exchange& ex) {
         return *ex.head.fields.find("Expires") == "Mon,  01 Jul 2024 12:01:00 GMT";
       }},
      {"inm-no-cache-ignored",
       "GET",
       "/strong",
       {{"If-None-Match", etag}, {"Cache-Control", "no-cache"}},
       status(200)},
      {"304-on-max-age-0", "GET", "/strong", {{"Cache-Control", "max-age=0"}}, status(304)},
      {"ims-without-lm-304",
       "GET",
       "/plain",
       {{"If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT"}},
       status(304)},
      {"304-etag-first-listed",
       "GET",
       "/strong",
       {{"If-None-Match", "\"zz\", " + etag}},
       [](const Exchange& ex) { return *ex.head.fields.find("ETag") == "\"zz\""; }},
      {"304-lm-differs", "GET", "/strong", inm,
       [](const Exchange& ex) {
         return *ex.head.fields.find("Last-Modified") == "Sat, 15 Jun 2024 10:00:01 GMT";
       }},
      {"date-hour-behind",
       "GET",
       "/strong",
       {},
       [](const Exchange& ex) {
         return *ex.head.fields.find("Date") == "Mon, 01 Jul 2024 11:00:00 GMT";
       }},
      {"etag-backslash",
       "GET",
       "/strong",
       {},
       [](const Exchange& ex) {
         return ex.head.fields.find("ETag")->find('\\') != std::string::npos;
       }},
      {"ims-leap-second-invalid",
       "GET",
       "/weak",
       {{"If-Modified-Since", "Sat, 31 Dec 2016 23:59:60 GMT"}},
       status(200)},
      {"if-range-date-ignores-strength",
       "GET",
       "/writable",
       {range, {"If-Range", kNowText}},
       status(206),
       "stored content"},
      {"gzip-shares-strong-tag",
       "GET",
       "/strong",
       {gzip},
       [etag](const Exchange& ex) { return *ex.head.fields.find("ETag") == etag; }},
      {"inm-matches-other-variant", "GET", "/strong", {gzip, {"If-None-Match", etag}}, status(304)},
      {"gzip-own-tag-never-matches",
       "GET",
       "/strong",
       {gzip, {"If-None-Match", static_representation("/strong", true).etag->str()}},
       status(200)},
      {"gzip-without-vary", "GET", "/strong", {gzip}, lacks("Vary")},
      {"304-gzip-identity-etag",
       "GET",
       "/strong",
       {gzip, {"If-None-Match", "*"}},
       [etag](const Exchange& ex) {
         return ex.head.status == 304 && *ex.head.fields.find("ETag") == etag;
       }},
      {"strong-tag-unstable-content",
       "GET",
       "/strong",
       {},
       [](const Exchange& ex) { return !ex.content.ends_with("32 of 32: conditional GET.\n"); }},
      {"etag-per-request",
       "GET",
       "/strong",
       {},
       [etag](const Exchange& ex) {
         const std::string* tag = ex.head.fields.find("ETag");
         return tag && *tag != etag;
       }},
      {"content-length-short",
       "GET",
       "/plain",
       {},
       [](const Exchange& ex) { return ex.stray == "\n"; }},
      {"chunked-with-content-length",
       "GET",
       "/strong",
       {},
       [](const Exchange& ex) {
         return ex.head.fields.has("Content-Length") && ex.head.fields.has("Transfer-Encoding");
       }},
      {"chunked-to-http10",
       "GET",
       "/strong",
       {},
       [](const Exchange& ex) { return ex.head.fields.has("Transfer-Encoding"); },
       std::nullopt,
       {},
       false,
       "HTTP/1.0"},
      {"body-after-204",
       "OPTIONS",
       "/strong",
       {},
       [](const Exchange& ex) { return !ex.stray.empty(); }},
      {"put-reports-old-etag",
       "PUT",
       "/writable",
       {},
       [](const Exchange& ex) {
         return *ex.head.fields.find("ETag") == digest_tag("stored content");
       },
       "stored content",
       "new content"},
      {"put-transforms-content",
       "PUT",
       "/writable",
       {},
       [](const Exchange& ex) { return ex.content == "new\r\ncontent\r\n"; },
       std::nullopt,
       "new\ncontent\n",
       true},
      {"etag-from-length",
       "PUT",
       "/writable",
       {},
       [](const Exchange& ex) { return *ex.head.fields.find("ETag") != digest_tag("new content"); },
       std::nullopt,
       "new content"},
      {"put-create-200", "PUT", "/writable", {}, status(200), std::nullopt, "new content"},
      {"inm-unbalanced-quote-drops",
       "GET",
       "/strong",
       {{"If-None-Match", "\"unterminated"}},
       [](const Exchange& ex) { return ex.head_bytes.empty(); }},
      {"answers-before-header-ends",
       "GET",
       "/strong",
       inm,
       status(200),
       std::nullopt,
       {},
       false,
       "HTTP/1.1",
       "If-None-Match"},
      // Probed over h2c (faults named h2-*), which they alone act on.
      {"h2-content-length-mismatch",
       "GET",
       "/strong",
       {},
       [](const Exchange& ex) {
         return *ex.head.fields.find("Content-Length") != std::to_string(ex.content.size());
       }},
      {"h2-connection-field",
       "GET",
       "/strong",
       {},
       [](const Exchange& ex) {
         return ex.head.fields.has("Connection") && ex.head.fields.has("Keep-Alive");
       }},
  };
}

TEST_F(OriginTest, EveryFaultIsObservableAndOnlyWhenSwitchedOn) {
  start();
  auto probes = fault_probes(strong_etag());
  ASSERT_EQ(probes.size(), known_faults().size());
  for (size_t i = 0; i < probes.size(); ++i) {
    EXPECT_EQ(probes[i].fault, known_faults()[i].name);
  }
  auto run = [&](const FaultProbe& probe) {
    if (probe.fault.starts_with("h2-")) return h2c_exchange(probe.method, probe.target);
    if (probe.stored) {
      EXPECT_EQ(exchange("PUT", "/writable", {}, *probe.stored).head.status, 201);
    }
    bool may_stray = probe.fault.starts_with("body-after") || probe.fault == "content-length-short";
    auto answer = !probe.split_before.empty()
                      ? split_exchange(probe.target, probe.fields, probe.split_before)
                      : exchange(probe.method, probe.target, probe.fields, probe.body,
                                 may_stray ? milliseconds{300} : milliseconds{0}, probe.version);
    return probe.judge_following_get ? exchange("GET", probe.target) : answer;
  };
  for (const auto& probe : probes) {
    const Protocol over = probe.fault.starts_with("h2-") ? Protocol::h2c : Protocol::http1_1;
    start({}, over);
    EXPECT_FALSE(probe.shows_fault(run(probe))) << probe.fault << " without the fault";
    start({probe.fault}, over);
    EXPECT_TRUE(probe.shows_fault(run(probe))) << probe.fault;
  }
}

TEST_F(OriginTest, Http2FaultsLeaveHttp11Alone) {
  start({"h2-content-length-mismatch"});
  auto ex = exchange("GET", "/strong");
  EXPECT_EQ(*ex.head.fields.find("Content-Length"), std::to_string(ex.content.size()));
}

TEST_F(OriginTest, OverH2cTheSameAnswers) {
  start();
  const auto http1 = exchange("GET", "/strong", {{"If-None-Match", strong_etag()}});
  start({}, Protocol::h2c);
  EXPECT_EQ(origin_->base_url(), fmt::format("http://127.0.0.1:{}", origin_->port()));
  const auto get = h2c_exchange("GET", "/strong");
  EXPECT_EQ(get.head.status, 200);
  EXPECT_EQ(*get.head.fields.find("ETag"), *http1.head.fields.find("ETag"));
  EXPECT_EQ(*get.head.fields.find("Content-Length"), std::to_string(get.content.size()));
  EXPECT_EQ(get.stray, "");
  EXPECT_EQ(http1.head.status, 304);
  EXPECT_EQ(h2c_exchange("HEAD", "/strong").content, "");
  EXPECT_EQ(h2c_exchange("GET", "/nothing-here").head.status, 404);
}

TEST_F(OriginTest, OverH2WithItsOwnCertificateTheSameAnswers) {
  start({}, Protocol::h2);
  EXPECT_EQ(origin_->base_url(), fmt::format("https://127.0.0.1:{}", origin_->port()));
  EXPECT_TRUE(origin_->certificate_pem().starts_with("-----BEGIN CERTIFICATE-----\n"));
  const auto get = h2c_exchange("GET", "/strong");  // over TLS, trusting that certificate
  EXPECT_EQ(get.head.status, 200);
  EXPECT_EQ(*get.head.fields.find("Content-Length"), std::to_string(get.content.size()));
  const auto revalidated =
      h2c_exchange("GET", "/strong", {{"If-None-Match", *get.head.fields.find("ETag")}});
  EXPECT_EQ(revalidated.head.status, 304);
}

TEST_F(OriginTest, UnsafeFaultsChangeOnlyTheAnswerToAFalseCondition) {
  start({"inm-unsafe-304"});
  auto created = exchange("PUT", "/writable", {}, "old");
  auto tag = *created.head.fields.find("ETag");
  auto refused = exchange("PUT", "/writable", {{"If-None-Match", tag}}, "new");
  EXPECT_EQ(refused.head.status, 304);
  EXPECT_EQ(*refused.head.fields.find("ETag"), tag);
  EXPECT_EQ(exchange("GET", "/writable").content, "old");
  EXPECT_EQ(exchange("PUT", "/writable", {{"If-Match", "\"stale\""}}, "new").head.status, 412);
  EXPECT_EQ(exchange("PUT", "/writable", {{"If-None-Match", "\"stale\""}}, "new").head.status, 204);

  start({"inm-star-absent-412"});
  EXPECT_EQ(exchange("PUT", "/writable", {{"If-None-Match", "*"}}, "new").head.status, 412);
  EXPECT_EQ(exchange("GET", "/writable").head.status, 404);
  EXPECT_EQ(exchange("PUT", "/writable", {}, "new").head.status, 201);

  start({"412-after-applying"});
  EXPECT_EQ(exchange("PUT", "/writable", {}, "old").head.status, 201);
  EXPECT_EQ(exchange("DELETE", "/writable", {{"If-Match", "\"stale\""}}).head.status, 412);
  EXPECT_EQ(exchange("GET", "/writable").head.status, 404);
  EXPECT_EQ(exchange("PUT", "/writable", {{"If-None-Match", "*"}}, "created").head.status, 201);
  EXPECT_EQ(exchange("GET", "/writable").content, "created");
}

TEST_F(OriginTest, IfMatchAndIfUnmodifiedSinceFaultsOnTheWritableResource) {
  // Without faults: both conditions guard PUT.
  start();
  EXPECT_EQ(exchange("PUT", "/writable", {}, "old").head.status, 201);
  EXPECT_EQ(exchange("PUT", "/writable", {{"If-Unmodified-Since", "Sun, 30 Jun 2024 12:00:00 GMT"}},
                     "new")
                .head.status,
            412);
  EXPECT_EQ(exchange("PUT", "/writable", {{"If-Unmodified-Since", kNowText}}, "new").head.status,
            204);
  EXPECT_EQ(exchange("DELETE", "/writable").head.status, 204);
  EXPECT_EQ(exchange("PUT", "/writable", {{"If-Match", "*"}}, "created").head.status, 412);

  start({"im-star-absent-true"});
  EXPECT_EQ(exchange("PUT", "/writable", {{"If-Match", "*"}}, "created").head.status, 201);
  EXPECT_EQ(exchange("GET", "/writable").content, "created");
  EXPECT_EQ(exchange("PUT", "/writable", {{"If-Match", "\"stale\""}}, "new").head.status, 412);
  EXPECT_EQ(exchange("DELETE", "/writable").head.status, 204);
  EXPECT_EQ(exchange("DELETE", "/writable", {{"If-Match", "*"}}).head.status, 404);

  start({"im-ignored"});
  EXPECT_EQ(exchange("PUT", "/writable", {}, "old").head.status, 201);
  EXPECT_EQ(exchange("PUT", "/writable", {{"If-Match", "\"stale\""}}, "new").head.status, 204);
  EXPECT_EQ(exchange("GET", "/writable").content, "new");

  start({"ius-ignored"});
  EXPECT_EQ(exchange("PUT", "/writable", {}, "old").head.status, 201);
  EXPECT_EQ(exchange("PUT", "/writable", {{"If-Unmodified-Since", "Sun, 30 Jun 2024 12:00:00 GMT"}},
                     "new")
                .head.status,
            204);
}

TEST_F(OriginTest, RangeBeforeIfMatchOnlyChangesUnsatisfiableRanges) {
  start({"range-before-im"});
  auto etag = strong_etag();
  auto refused = exchange("GET", "/strong", {{"If-Match", "\"zz\""}, {"Range", "bytes=2144-"}});
  EXPECT_EQ(refused.head.status, 416);
  EXPECT_EQ(*refused.head.fields.find("Content-Range"), "bytes */2144");
  EXPECT_EQ(
      exchange("GET", "/strong", {{"If-Match", "\"zz\""}, {"Range", "bytes=0-0"}}).head.status,
      412);
  EXPECT_EQ(exchange("GET", "/strong", {{"If-Match", etag}, {"Range", "bytes=0-0"}}).head.status,
            206);
  // Without If-Match the preconditions still come first.
  EXPECT_EQ(
      exchange("GET", "/strong", {{"If-None-Match", etag}, {"Range", "bytes=2144-"}}).head.status,
      304);
  EXPECT_EQ(
      exchange("GET", "/plain", {{"If-Match", "\"zz\""}, {"Range", "bytes=9999-"}}).head.status,
      412);
}

TEST_F(OriginTest, BodyAfter304KeepsTheOtherwiseCorrectHead) {
  start({"body-after-304"});
  auto etag = strong_etag();
  auto ex = exchange("GET", "/strong", {{"If-None-Match", etag}}, {}, milliseconds{300});
  EXPECT_EQ(ex.head.status, 304);
  EXPECT_EQ(*ex.head.fields.find("Content-Length"), "2144");
  EXPECT_FALSE(ex.head.fields.has("Content-Type"));
  EXPECT_EQ(ex.stray, exchange("GET", "/strong").content);
}

TEST_F(OriginTest, RenderingFaultsKeepPreconditionsConsistent) {
  start({"etag-unquoted"});
  auto unquoted = strong_etag();
  EXPECT_EQ(unquoted.size(), 16u);
  EXPECT_EQ(exchange("GET", "/strong", {{"If-None-Match", unquoted}}).head.status, 304);
  EXPECT_EQ(exchange("GET", "/strong", {{"If-None-Match", "\"" + unquoted + "\""}}).head.status,
            304);
  EXPECT_EQ(exchange("GET", "/strong", {{"If-Match", "\"zz\", " + unquoted}}).head.status, 200);
  EXPECT_EQ(
      exchange("GET", "/strong", {{"Range", "bytes=0-0"}, {"If-Range", unquoted}}).head.status,
      206);
  EXPECT_EQ(exchange("GET", "/strong", {{"If-None-Match", "W/" + unquoted}}).head.status, 304);

  start({"lm-after-date"});
  auto sent = *exchange("GET", "/strong").head.fields.find("Last-Modified");
  EXPECT_EQ(sent, "Wed, 03 Jul 2024 00:00:00 GMT");
  EXPECT_EQ(exchange("GET", "/strong", {{"If-Modified-Since", sent}}).head.status, 304);
  EXPECT_EQ(exchange("GET", "/strong", {{"If-Modified-Since", "Tue, 02 Jul 2024 23:59:59 GMT"}})
                .head.status,
            200);
  EXPECT_EQ(exchange("GET", "/strong", {{"If-Unmodified-Since", "Tue, 02 Jul 2024 23:59:59 GMT"}})
                .head.status,
            412);
  // Judged against the Last-Modified the client saw, which is after Date.
  EXPECT_EQ(exchange("GET", "/strong", {{"If-Unmodified-Since", kNowText}}).head.status, 412);
  EXPECT_EQ(exchange("GET", "/strong", {{"If-Unmodified-Since", sent}}).head.status, 200);
  EXPECT_EQ(exchange("GET", "/strong", {{"Range", "bytes=0-0"}, {"If-Range", sent}}).head.status,
            206);

  start({"date-rfc850"});
  auto ex = exchange("GET", "/strong");
  EXPECT_EQ(*ex.head.fields.find("Expires"), "Mon, 01 Jul 2024 12:01:00 GMT");
  EXPECT_EQ(*ex.head.fields.find("Last-Modified"), kLastModifiedText);
}

}  // namespace
}  // namespace condspec

namespace condspec {
namespace {

TEST_F(OriginTest, FramingFaultsChangeOnlyTheFramingOfA200) {
  start({"content-length-short"});
  auto plain = exchange("GET", "/plain", {}, {}, milliseconds{300});
  EXPECT_EQ(*plain.head.fields.find("Content-Length"), "2143");
  EXPECT_EQ(plain.stray, "\n");  // the content's last byte, beyond the announced length
  EXPECT_EQ(*exchange("HEAD", "/plain").head.fields.find("Content-Length"), "2143");
  // Resources with byte ranges and the writable one are framed correctly.
  EXPECT_EQ(exchange("GET", "/strong", {}, {}, milliseconds{300}).stray, "");
  exchange("PUT", "/writable", {}, "abc");
  EXPECT_EQ(*exchange("GET", "/writable").head.fields.find("Content-Length"), "3");

  start({"chunked-with-content-length"});
  RawConnection connection(origin_->port());
  connection.send(request("GET", "/plain"));
  auto head = parse_head(connection.read_head());
  EXPECT_EQ(*head.fields.find("Transfer-Encoding"), "chunked");
  EXPECT_EQ(*head.fields.find("Content-Length"), "2144");
  EXPECT_EQ(connection.read_exactly(6), "860\r\nc");  // 2144 bytes in one chunk
  auto http10 = exchange("GET", "/plain", {}, {}, milliseconds{0}, "HTTP/1.0");
  EXPECT_FALSE(http10.head.fields.has("Transfer-Encoding"));

  start({"chunked-to-http10"});
  http10 = exchange("GET", "/plain", {}, {}, milliseconds{0}, "HTTP/1.0");
  EXPECT_EQ(*http10.head.fields.find("Transfer-Encoding"), "chunked");
  EXPECT_FALSE(http10.head.fields.has("Content-Length"));
  EXPECT_FALSE(exchange("GET", "/plain").head.fields.has("Transfer-Encoding"));

  start({"body-after-204"});
  auto options = exchange("OPTIONS", "/strong", {}, {}, milliseconds{300});
  EXPECT_EQ(options.head.status, 204);
  EXPECT_EQ(options.stray, "condspec content after a 204\n");
}

TEST_F(OriginTest, WritableFaultsChangeOnlyTheirPartOfAPut) {
  start({"put-reports-old-etag"});
  EXPECT_EQ(*exchange("PUT", "/writable", {}, "old").head.fields.find("ETag"), digest_tag("old"));
  auto replaced = exchange("PUT", "/writable", {}, "new");
  EXPECT_EQ(*replaced.head.fields.find("ETag"), digest_tag("old"));
  EXPECT_EQ(*exchange("GET", "/writable").head.fields.find("ETag"), digest_tag("new"));

  start({"put-transforms-content"});
  auto stored = exchange("PUT", "/writable", {}, "a\nb\r\n");
  EXPECT_EQ(*stored.head.fields.find("ETag"), digest_tag("a\r\nb\r\n"));
  auto read = exchange("GET", "/writable");
  EXPECT_EQ(read.content, "a\r\nb\r\n");
  EXPECT_EQ(*read.head.fields.find("ETag"), digest_tag("a\r\nb\r\n"));

  start({"etag-from-length"});
  EXPECT_EQ(*exchange("PUT", "/writable", {}, "aaa").head.fields.find("ETag"), "\"length-3\"");
  EXPECT_EQ(*exchange("PUT", "/writable", {}, "bbb").head.fields.find("ETag"), "\"length-3\"");
  EXPECT_EQ(*exchange("GET", "/writable").head.fields.find("ETag"), "\"length-3\"");
  EXPECT_FALSE(strong_etag().starts_with("\"length-"));  // static resources keep digests

  start({"put-create-200"});
  EXPECT_EQ(exchange("PUT", "/writable", {}, "created").head.status, 200);
  EXPECT_EQ(exchange("PUT", "/writable", {}, "replaced").head.status, 204);
}

TEST_F(OriginTest, UnbalancedQuoteFaultDropsOnlyThoseRequests) {
  start({"inm-unbalanced-quote-drops"});
  EXPECT_EQ(exchange("GET", "/strong", {{"If-None-Match", "\"open"}}).head_bytes, "");
  EXPECT_EQ(exchange("GET", "/strong", {{"If-None-Match", "\"a\", W/\"b\""}}).head.status, 200);
  EXPECT_EQ(exchange("GET", "/strong").head.status, 200);
}

TEST_F(OriginTest, AnswersBeforeHeaderEndsFaultAnswersOnlyAHeaderSectionThatStops) {
  start({"answers-before-header-ends"});
  const std::string etag = strong_etag();
  EXPECT_EQ(exchange("GET", "/strong", {{"If-None-Match", etag}}).head.status, 304);
  EXPECT_EQ(split_exchange("/strong", {{"If-None-Match", etag}}, "If-None-Match").head.status, 200);

  // The relay keeps the framing: content passes on, the dropped rest of a
  // header section does not leak into the next request on the connection.
  EXPECT_EQ(exchange("PUT", "/writable", {}, "stored").head.status, 201);
  EXPECT_EQ(exchange("GET", "/writable").content, "stored");
  {
    RawConnection connection(origin_->port());
    connection.send("GET /strong HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    EXPECT_EQ(parse_head(connection.read_head()).status, 200);
    connection.read_exactly(2144);
    connection.send("If-None-Match: " + etag + "\r\n\r\n");
    connection.send(request("GET", "/strong", {{"If-None-Match", etag}}));
    EXPECT_EQ(parse_head(connection.read_head()).status, 304);
  }

  start();
  EXPECT_EQ(split_exchange("/strong", {{"If-None-Match", etag}}, "If-None-Match").head.status, 304);
}

}  // namespace
}  // namespace condspec
