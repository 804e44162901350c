// End-to-end over HTTP/2: the real program against nghttpd (Debian
// nghttp2-server) serving a file, over cleartext (--protocol h2c) and over
// TLS (--protocol h2, and by default once ALPN says the server speaks h2).
// Skipped when nghttpd is not installed.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "src/http/nghttpd_for_tests.h"
#include "src/http/tls_for_tests.h"
#include "tests/process.h"

namespace condspec::test {
namespace {

namespace fs = std::filesystem;
using nghttpd_testing::Nghttpd;

class Http2EndToEnd : public testing::Test {
 protected:
  void SetUp() override {
    if (nghttpd_testing::nghttpd_path().empty())
      GTEST_SKIP() << "nghttpd is not installed (Debian package nghttp2-server)";
    htdocs_ = fs::temp_directory_path() / ("condspec-h2-e2e-" + std::to_string(getpid()));
    fs::create_directories(htdocs_);
    std::ofstream(htdocs_ / "a.txt") << "served over HTTP/2\n";
    files_ = tls_testing::make_self_signed("h2-e2e", "DNS:localhost,IP:127.0.0.1");
  }
  void TearDown() override {
    if (htdocs_.empty()) return;
    fs::remove_all(htdocs_);
    tls_testing::remove_files(files_);
  }

  // The JSON report of `condspec run ARGS...`, parsed; the process result
  // in `completed`.
  nlohmann::json run(std::vector<std::string> args, Completed& completed) {
    args.insert(args.begin(), {"--timeout", "5"});
    Reported reported = run_with_json_report(args);
    completed = reported.completed;
    if (reported.json.empty()) {
      ADD_FAILURE() << "no report written\n" << completed.out << completed.err;
      return {};
    }
    return nlohmann::json::parse(reported.json);
  }

  // A target judged over `protocol`: usable, with facts and results, and
  // every exchange recorded as HTTP/2 evidence (frames, readable heads).
  static void expect_judged_over_http2(const nlohmann::json& target, const std::string& protocol) {
    EXPECT_EQ(target["protocol"], protocol);
    ASSERT_TRUE(target["unusable"].is_null()) << target["unusable"];
    EXPECT_NE(std::find(target["facts"].begin(), target["facts"].end(), "last-modified"),
              target["facts"].end())
        << target["facts"];
    EXPECT_FALSE(target["results"].empty());
    size_t exchanges = 0;
    auto check_exchange = [&](const nlohmann::json& exchange) {
      ++exchanges;
      // A scenario whose request HTTP/2 cannot carry (an HTTP/1.0 one, a
      // header section split in two writes) is not_applicable over it, so
      // every exchange went out.
      EXPECT_NE(exchange["request"], "") << exchange.dump(2);
      EXPECT_FALSE(exchange["frames"].empty()) << exchange.dump(2);
      // Nothing can follow the end of a stream: no follow-up request needed.
      EXPECT_FALSE(exchange["follow_up"].get<bool>()) << exchange.dump(2);
      if (exchange["status"].is_null()) return;
      EXPECT_TRUE(exchange["response_head"].get<std::string>().starts_with("HTTP/2 "))
          << exchange.dump(2);
      EXPECT_TRUE(exchange["stray_checked"].get<bool>()) << exchange.dump(2);
      const std::string request = exchange["request"];
      EXPECT_NE(request.find(" HTTP/2\r\n:method: "), std::string::npos) << request;
      bool headers_sent = false;
      for (const auto& frame : exchange["frames"])
        headers_sent = headers_sent || (frame["sent"] == true && frame["type"] == "HEADERS");
      EXPECT_TRUE(headers_sent) << exchange.dump(2);
    };
    for (const auto& exchange : target["discovery"]) check_exchange(exchange);
    for (const auto& result : target["results"])
      for (const auto& exchange : result["exchanges"]) check_exchange(exchange);
    EXPECT_GT(exchanges, 5u);
  }

  fs::path htdocs_;
  tls_testing::Credentials files_;
};

TEST_F(Http2EndToEnd, OverCleartextWithH2c) {
  Nghttpd server(htdocs_.string());
  ASSERT_GT(server.port(), 0) << "nghttpd did not start";
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/a.txt";
  Completed completed;
  auto json = run({"--protocol", "h2c", url}, completed);
  EXPECT_NE(completed.exit_code, 2) << completed.err;
  ASSERT_EQ(json["targets"].size(), 1u) << completed.out;
  expect_judged_over_http2(json["targets"][0], "h2c");
  EXPECT_NE(completed.out.find("\ntarget " + url + " (h2c)\n"), std::string::npos) << completed.out;
}

TEST_F(Http2EndToEnd, OverTlsWithH2) {
  Nghttpd server(htdocs_.string(), files_.key_file, files_.cert_file);
  ASSERT_GT(server.port(), 0) << "nghttpd did not start";
  const std::string url = "https://localhost:" + std::to_string(server.port()) + "/a.txt";
  Completed completed;
  auto json = run({"--protocol", "h2", "--cacert", files_.cert_file, url}, completed);
  EXPECT_NE(completed.exit_code, 2) << completed.err;
  ASSERT_EQ(json["targets"].size(), 1u) << completed.out;
  expect_judged_over_http2(json["targets"][0], "h2");
}

TEST_F(Http2EndToEnd, ByDefaultAnHttpsUrlWhoseServerOffersH2IsJudgedOverBoth) {
  Nghttpd server(htdocs_.string(), files_.key_file, files_.cert_file);
  ASSERT_GT(server.port(), 0) << "nghttpd did not start";
  const std::string url = "https://localhost:" + std::to_string(server.port()) + "/a.txt";
  Completed completed;
  auto json = run({"--cacert", files_.cert_file, url}, completed);
  EXPECT_NE(
      completed.out.find(url + ": the server offers h2 in ALPN, so it is judged over http/1.1 "
                               "and h2.\n"),
      std::string::npos)
      << completed.out;
  ASSERT_EQ(json["targets"].size(), 2u) << completed.out;
  EXPECT_EQ(json["targets"][0]["url"], url);
  EXPECT_EQ(json["targets"][0]["protocol"], "http/1.1");
  EXPECT_EQ(json["targets"][1]["url"], url);
  expect_judged_over_http2(json["targets"][1], "h2");
}

TEST_F(Http2EndToEnd, AnHttp2OnlyServerJudgedOverHttp1SaysWhichOptionJudgesIt) {
  Nghttpd server(htdocs_.string());
  ASSERT_GT(server.port(), 0) << "nghttpd did not start";
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/a.txt";
  Completed completed;
  auto json = run({url}, completed);
  EXPECT_EQ(completed.exit_code, 3) << completed.out << completed.err;
  ASSERT_EQ(json["targets"].size(), 1u);
  EXPECT_EQ(json["targets"][0]["protocol"], "http/1.1");
  EXPECT_EQ(json["targets"][0]["unusable"],
            "the first request to " + url +
                " failed: not an HTTP/1.1 response: the server answered with an HTTP/2 SETTINGS "
                "frame, so it speaks HTTP/2 over cleartext with prior knowledge (h2c) on this "
                "port; judge it with --protocol h2c");
}

TEST_F(Http2EndToEnd, ShardsSliceUrlsAndProtocolsAndMergeIntoTheWholeRun) {
  // Two URLs over two protocols: nghttpd speaks only h2c, the reference
  // origin only HTTP/1.1, so each URL has one usable target and one not.
  Nghttpd server(htdocs_.string());
  ASSERT_GT(server.port(), 0) << "nghttpd did not start";
  Background origin({"serve"});
  const std::string base = start_origin(origin);
  ASSERT_FALSE(base.empty());
  const std::vector<std::string> args = {
      "--protocol",
      "h2c",
      "--protocol",
      "http/1.1",
      "http://127.0.0.1:" + std::to_string(server.port()) + "/a.txt",
      base + "/strong"};
  const fs::path dir = htdocs_ / "reports";
  fs::create_directories(dir);
  auto path = [&](const std::string& f) { return (dir / f).string(); };
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> all = {"run"};
    all.insert(all.end(), args.begin(), args.end());
    all.insert(all.end(), extra.begin(), extra.end());
    return run_program(all);
  };
  auto whole = with({"--report", "json=" + path("whole.json")});
  with({"--shard", "1/3", "--report", "json=" + path("1.json")});
  with({"--shard", "2/3", "--report", "json=" + path("2.json")});
  with({"--shard", "3/3", "--report", "json=" + path("3.json")});
  auto merged = run_program({"merge", path("3.json"), path("1.json"), path("2.json"), "--report",
                             "json=" + path("merged.json")});
  EXPECT_EQ(merged.exit_code, whole.exit_code) << merged.out << merged.err;
  auto slurp = [](const std::string& p) {
    std::ifstream in(p);
    return nlohmann::json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  };
  auto a = slurp(path("whole.json"));
  auto b = slurp(path("merged.json"));
  EXPECT_EQ(a["totals"], b["totals"]);
  // URL by URL, each over http/1.1 then h2c, whatever order they were given.
  ASSERT_EQ(a["targets"].size(), 4u);
  ASSERT_EQ(b["targets"].size(), 4u);
  for (size_t t = 0; t < 4; ++t) {
    EXPECT_EQ(a["targets"][t]["url"], b["targets"][t]["url"]);
    EXPECT_EQ(a["targets"][t]["protocol"], t % 2 == 0 ? "http/1.1" : "h2c");
    EXPECT_EQ(b["targets"][t]["protocol"], a["targets"][t]["protocol"]);
    std::vector<std::string> ids_a, ids_b;
    for (const auto& r : a["targets"][t]["results"]) ids_a.push_back(r["scenario"]);
    for (const auto& r : b["targets"][t]["results"]) ids_b.push_back(r["scenario"]);
    EXPECT_EQ(ids_a, ids_b) << t;
  }
  EXPECT_FALSE(a["targets"][1]["results"].empty());  // nghttpd over h2c
  EXPECT_FALSE(a["targets"][2]["results"].empty());  // the origin over HTTP/1.1
}

TEST(Http2Usage, AProtocolThatCannotReachTheUrlIsAUsageError) {
  auto r = run_program({"run", "--protocol", "h2", "http://127.0.0.1:1/x"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "condspec: --protocol h2 cannot reach http://127.0.0.1:1/x: h2 is HTTP/2 over TLS, for "
            "https URLs (for cleartext HTTP/2 use --protocol h2c)\n");
  auto unknown = run_program({"run", "--protocol", "h3", "http://127.0.0.1:1/x"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("--protocol: h3 not in {http/1.1,h2,h2c}"), std::string::npos)
      << unknown.err;
}

}  // namespace
}  // namespace condspec::test
