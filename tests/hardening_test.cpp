// The promises of issue 13, "hardening against an adversary", end to end:
// the real program, run as CI runs it (often as root), against what an
// attacker controls: the server, the case files, the paths it writes to.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "reports/hostile_run_for_tests.h"
#include "src/origin/reference_cache.h"
#include "tests/hostile_server.h"
#include "tests/process.h"
#include "tests/server_scripts.h"
#include "tests/test_files.h"

namespace condspec::test {
namespace {

// Credentials in a URL are refused, and never echoed: not in the message
// about them, not in one about anything else wrong with the URL.
TEST(Hardening, UrlCredentialsAreNeverPrinted) {
  auto r = run_program({"run", "http://user:hunter2pass@127.0.0.1:1/"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "condspec: invalid URL 'http://***@127.0.0.1:1/': credentials in URLs are not "
            "supported; use --header 'Authorization: ...'\n");
  EXPECT_EQ(r.out, "");
  auto unsafe =
      run_program({"run", "--unsafe-url", "http://u:hunter2/pass@h/", "http://127.0.0.1:1/"});
  EXPECT_EQ(unsafe.exit_code, 2);
  EXPECT_EQ(unsafe.err, "condspec: --unsafe-url: invalid URL 'http://***@h/': invalid port\n");
}

// A --secret in a URL is redacted from what condspec says about the URL
// before any request: here that --protocol h2 cannot reach it.
TEST(Hardening, ASecretInAUrlIsRedactedFromProtocolMessages) {
  auto r = run_program({"run", "--protocol", "h2", "--secret", "hunter2pass",
                        "http://127.0.0.1:1/?token=hunter2pass"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "condspec: --protocol h2 cannot reach http://127.0.0.1:1/?token=[redacted]: h2 is "
            "HTTP/2 over TLS, for https URLs (for cleartext HTTP/2 use --protocol h2c)\n");
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace condspec::test

namespace condspec::test {
namespace {

// A reason phrase with a raw and a UTF-8 C1 CSI and a right-to-left
// override reaches the console only escaped, on stdout and stderr, with or
// without --verbose.
TEST(Hardening, ServerTextReachesTheConsoleOnlyEscaped) {
  HostileServer server(Hostility::unsafe_text);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  for (const char* verbose : {"--quiet", "--verbose"}) {
    auto r = run_program({"run", "--timeout", "2", verbose, url});
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_LT(r.elapsed.count(), 7000);
    EXPECT_LT(r.max_rss_kib, memory_bound_kib(256 * 1024));
    EXPECT_EQ(testing::first_unsafe(r.out), "") << r.out;
    EXPECT_EQ(testing::first_unsafe(r.err), "") << r.err;
    if (std::string(verbose) == "--verbose") {
      EXPECT_NE(r.out.find("answered 404 Not\\x9b31m\\xc2\\x9b32m\\u202etxt.exe; condspec "
                           "needs a URL whose GET answers 200"),
                std::string::npos)
          << r.out;
    }
  }
}

}  // namespace
}  // namespace condspec::test

namespace condspec::test {
namespace {

// A secret the server sends across the 64 KiB cap of the bytes after a
// response: no part of it reaches the JSON report or the console, which
// shows a cut of the redacted evidence.
TEST(Hardening, ASecretAcrossAnEvidenceCapDoesNotLeak) {
  HostileServer server(Hostility::secret_past_caps);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  auto [r, report] =
      run_with_json_report({"--timeout", "2", "--verbose", "--select", "inm-current-strong-tag",
                            "--secret", kSecretPastCaps, url});
  EXPECT_LT(r.elapsed.count(), (2 * 2 + 3) * 1000);
  EXPECT_LT(r.max_rss_kib, memory_bound_kib(256 * 1024));
  ASSERT_FALSE(report.empty()) << r.err;
  const std::string start = std::string(kSecretPastCaps).substr(0, 2);
  EXPECT_EQ(report.find("s" + start), std::string::npos) << "part of the secret in the report";
  EXPECT_EQ(report.find(kSecretPastCaps), std::string::npos);
  const auto json = nlohmann::json::parse(report);
  const auto& first = json["targets"][0]["discovery"][0];
  EXPECT_EQ(first["stray_bytes_dropped"], 13 - 5 + 1000);
  EXPECT_TRUE(first["stray_bytes"].get<std::string>().ends_with("s[redacted]"));
  EXPECT_EQ(first["response_head"],
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: \"[redacted]\"\r\n\r\n");
  EXPECT_EQ(r.out.find(start + "n"), std::string::npos);
  EXPECT_EQ(r.err.find(start + "n"), std::string::npos);
}

}  // namespace
}  // namespace condspec::test

namespace condspec::test {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  return fresh_test_dir("hardening", name);
}

// A listening socket that is never accepted from: whether condspec tried
// to connect shows as a pending connection.
class Listener {
 public:
  Listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(fd_, 8);
    socklen_t length = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    url_ = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/";
  }
  ~Listener() { ::close(fd_); }
  const std::string& url() const { return url_; }
  bool was_connected_to() const {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
  }

 private:
  int fd_ = -1;
  std::string url_;
};

// Every --report path is checked before a request is sent: a report that
// could not be written is known before the run, not after it.
TEST(Hardening, ReportPathsAreCheckedBeforeAnythingIsSent) {
  const fs::path dir = fresh_dir("paths");
  Listener target;
  struct Case {
    std::string path, message;
  };
  for (const Case& c : {Case{(dir / "missing" / "r.json").string(),
                             "its directory " + (dir / "missing").string() + " does not exist"},
                        Case{dir.string(), "it is a directory"}}) {
    auto r = run_program({"run", "--report", "json=" + c.path, target.url()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.err, "condspec: cannot write " + c.path + ": " + c.message + "\n");
    EXPECT_EQ(r.out, "");
  }
  EXPECT_FALSE(target.was_connected_to());
  auto merge = run_program({"merge", "/dev/null", "--report", "json=" + dir.string()});
  EXPECT_EQ(merge.exit_code, 2);
  EXPECT_EQ(merge.err, "condspec: cannot write " + dir.string() + ": it is a directory\n");
  fs::remove_all(dir);
}

// Special files are written to, never replaced: /dev/null stays the
// machine's null device (as root the old rename turned it into a regular
// file), a FIFO delivers the report to its reader, /dev/stdout appends the
// report to the summary, and a symlink is written through.
TEST(Hardening, ReportsNeverReplaceSpecialFiles) {
  const fs::path dir = fresh_dir("special");
  const fs::path fifo = dir / "pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::ofstream(dir / "real.xml") << "old";
  fs::create_symlink("real.xml", dir / "link.xml");
  std::string from_fifo;
  std::thread reader([&] {
    std::ifstream in(fifo);
    std::stringstream s;
    s << in.rdbuf();
    from_fifo = s.str();
  });
  // The machine's /dev/null is not put at risk should this regress: as
  // root, a null device of the test's own stands in for it.
  fs::path null = dir / "null";
  if (mknod(null.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0) null = "/dev/null";
  auto r = run_program({"run", "--select", "inm-current-strong-tag", "--quiet", "--report",
                        "json=/dev/stdout", "--report", "html=" + null.string(), "--report",
                        "markdown=" + fifo.string(), "--report",
                        "junit=" + (dir / "link.xml").string()});
  reader.join();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_character_file(null));
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_TRUE(from_fifo.starts_with("## ✅ condspec: gate passed")) << from_fifo;
  EXPECT_TRUE(fs::is_symlink(dir / "link.xml"));
  std::ifstream junit(dir / "real.xml");
  std::stringstream junit_text;
  junit_text << junit.rdbuf();
  EXPECT_TRUE(junit_text.str().starts_with("<?xml")) << junit_text.str();
  // The summary first, then the JSON report on the same stdout.
  const size_t json_start = r.out.find("{\n");
  ASSERT_NE(json_start, std::string::npos) << r.out;
  EXPECT_NE(r.out.substr(0, json_start).find("gate passed"), std::string::npos) << r.out;
  EXPECT_EQ(nlohmann::json::parse(r.out.substr(json_start))["complete"], true);
  fs::remove_all(dir);
}

// A summary that cannot reach stdout is a failed run, said on stderr.
TEST(Hardening, AFailedWriteToStdoutExitsTwo) {
  const std::string command =
      "'" + program() + "' run --select inm-current-strong-tag --quiet 2>&1 >/dev/full";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string err;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) err.append(buffer, n);
  const int status = pclose(pipe);
  EXPECT_EQ(WEXITSTATUS(status), 2) << err;
  EXPECT_EQ(err, "condspec: cannot write to standard output\n");
}

}  // namespace
}  // namespace condspec::test

namespace condspec::test {
namespace {

// Case files are bounded and must be regular files, checked before any is
// read: a 10 MB file is refused by name in a few MB of memory (it took
// 1.2 GB), a FIFO is refused instead of blocking (or being skipped) for ever.
TEST(Hardening, HugeAndSpecialCaseFilesAreRefusedByName) {
  const fs::path dir = fresh_dir("cases");
  fs::copy_file(fs::path(CONDSPEC_SOURCE_DIR) / "cases" / "requirements.yaml",
                dir / "requirements.yaml");
  {
    std::ofstream big(dir / "big.yaml");
    const std::string line = "# " + std::string(97, 'x') + "\n";
    for (int i = 0; i < 100'000; ++i) big << line;
  }
  auto big = run_program({"lint", "--no-default-cases", "--cases", dir.string()});
  EXPECT_EQ(big.exit_code, 2);
  EXPECT_EQ(big.err, (dir / "big.yaml").string() +
                         ": the file has 10000000 bytes; a case file may have at most 1048576 "
                         "(1 MiB)\n");
  EXPECT_LT(big.max_rss_kib, memory_bound_kib(64 * 1024));
  fs::remove(dir / "big.yaml");
  ASSERT_EQ(mkfifo((dir / "pipe.yaml").c_str(), 0600), 0);
  auto fifo =
      run_program({"run", "--no-default-cases", "--cases", dir.string(), "http://127.0.0.1:1/"},
                  std::chrono::seconds{10});
  EXPECT_EQ(fifo.exit_code, 2);
  EXPECT_EQ(fifo.err,
            (dir / "pipe.yaml").string() +
                ": a case file must be a regular file; this is a FIFO\ncondspec: the case "
                "files in " +
                dir.string() + " have errors; nothing was run\n");
  EXPECT_LT(fifo.elapsed.count(), 5000);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace condspec::test

namespace condspec::test {
namespace {

// A bad --cacert is a usage error before any request, not an error per
// target; with --insecure, which verifies nothing, it is a contradiction
// that is said, not silently ignored.
TEST(Hardening, ABadCacertIsAUsageErrorBeforeAnyRequest) {
  const fs::path dir = fresh_dir("cacert");
  std::ofstream(dir / "garbage.pem") << "not a certificate\n";
  const std::string garbage = (dir / "garbage.pem").string();
  Listener target;
  const std::string https = "https" + target.url().substr(4);
  auto r = run_program({"run", "--cacert", garbage, https});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "condspec: --cacert " + garbage +
                       ": it holds no PEM certificate (a block beginning -----BEGIN "
                       "CERTIFICATE-----)\n");
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(target.was_connected_to());

  auto insecure = run_program(
      {"run", "--insecure", "--cacert", garbage, "--select", "inm-current-strong-tag", "--quiet"});
  EXPECT_EQ(insecure.exit_code, 0) << insecure.err;
  EXPECT_EQ(insecure.err,
            "condspec: warning: --cacert is ignored: --insecure verifies no certificate\n");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace condspec::test

namespace condspec::test {
namespace {

struct Interrupted {
  int code = -1;
  std::chrono::milliseconds took{0};
  nlohmann::json json;
  std::string junit;
};

// Runs condspec against `server` with a long --timeout (and `extra`
// options), sends `sig` once the server has accepted more than `accepted`
// connections and `after` more has passed, and reads the reports it wrote.
// Waiting on the server, not on a guessed delay, keeps the signal in the
// phase the test means however loaded the machine is.
Interrupted interrupt_run(const HostileServer& server, int accepted, int sig,
                          std::chrono::milliseconds after, const std::string& name,
                          const std::vector<std::string>& extra = {}) {
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  const fs::path dir = fresh_dir(name);
  Interrupted result;
  {
    std::vector<std::string> args = {"run",
                                     "--timeout",
                                     "30",
                                     "-j",
                                     "1",
                                     "--select",
                                     "13.1.2",
                                     "--report",
                                     "json=" + (dir / "r.json").string(),
                                     "--report",
                                     "junit=" + (dir / "r.xml").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(url);
    Background run(args);
    for (int i = 0; i < 2000 && server.accepted() <= accepted; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    std::this_thread::sleep_for(after);
    result.code = run.signal_and_wait(sig, std::chrono::seconds{10}, result.took);
  }
  std::ifstream json(dir / "r.json");
  std::stringstream json_text, junit_text;
  json_text << json.rdbuf();
  std::ifstream junit(dir / "r.xml");
  junit_text << junit.rdbuf();
  result.junit = junit_text.str();
  if (!json_text.str().empty()) result.json = nlohmann::json::parse(json_text.str());
  for (const auto& entry : fs::directory_iterator(dir))
    EXPECT_FALSE(entry.path().filename().string().starts_with(".")) << entry.path();
  fs::remove_all(dir);
  return result;
}

// SIGINT or SIGTERM during discovery, while the server never answers and
// --timeout is 30 s: the run ends within about a second, with every report
// written and marked incomplete, and exit code 3.
TEST(Hardening, AnInterruptionDuringDiscoveryEndsTheRunWithinASecond) {
  for (int sig : {SIGINT, SIGTERM}) {
    HostileServer server(Hostility::silent);
    Interrupted r = interrupt_run(server, 0, sig, std::chrono::milliseconds{200}, "discovery");
    EXPECT_EQ(r.code, 3) << "signal " << sig;
    EXPECT_LT(r.took.count(), 1500) << "signal " << sig;
    ASSERT_TRUE(r.json.is_object()) << "no JSON report";
    EXPECT_EQ(r.json["complete"], false);
    EXPECT_EQ(r.json["targets"][0]["unusable"],
              "not tested: the run was interrupted during discovery");
    EXPECT_NE(r.junit.find("the run was interrupted: these results are incomplete"),
              std::string::npos);
  }
}

// The same over HTTP/2 (--protocol h2c): the HTTP/2 client's waits wake on
// the run's cancellation too.
TEST(Hardening, AnInterruptionDuringDiscoveryOverHttp2EndsTheRunWithinASecond) {
  HostileServer server(Hostility::silent);
  Interrupted r = interrupt_run(server, 0, SIGTERM, std::chrono::milliseconds{200}, "discovery-h2c",
                                {"--protocol", "h2c"});
  EXPECT_EQ(r.code, 3);
  EXPECT_LT(r.took.count(), 1500);
  ASSERT_TRUE(r.json.is_object()) << "no JSON report";
  EXPECT_EQ(r.json["complete"], false);
  EXPECT_EQ(r.json["targets"][0]["protocol"], "h2c");
  EXPECT_EQ(r.json["targets"][0]["unusable"],
            "not tested: the run was interrupted during discovery");
  EXPECT_NE(r.junit.find("the run was interrupted: these results are incomplete"),
            std::string::npos);
}

// An interruption while a scenario's exchange waits on a server that stopped
// answering: the same, with the scenarios that finished kept and the one cut
// short left out (not reported as an error).
TEST(Hardening, AnInterruptionDuringAScenarioEndsTheRunWithinASecond) {
  HostileServer server(Hostility::hangs_later);
  // This server answers every request alike, and discovery already sends
  // most requests the scenarios of 13.1.2 would: with shared requests they
  // send too few to reach the hang. Each sends its own here.
  Interrupted r =
      interrupt_run(server, kAnsweredBeforeHanging, SIGINT, std::chrono::milliseconds{200},
                    "scenario", {"--no-shared-requests"});
  EXPECT_TRUE(r.code == 3 || r.code == 1) << r.code;  // 1 when a failure was seen before
  EXPECT_LT(r.took.count(), 1500);
  ASSERT_TRUE(r.json.is_object()) << "no JSON report";
  EXPECT_EQ(r.json["complete"], false) << r.json["targets"][0]["discovery"].size() << " "
                                       << r.json["targets"][0]["results"].dump().substr(0, 3000);
  const auto& target = r.json["targets"][0];
  EXPECT_TRUE(target["unusable"].is_null()) << target["unusable"];
  EXPECT_FALSE(target["facts"].empty());
  for (const auto& result : target["results"])
    EXPECT_EQ(result["reason"].dump().find("interrupted"), std::string::npos) << result.dump();
}

}  // namespace
}  // namespace condspec::test

namespace condspec::test {
namespace {

// Text from a case file reaches the console of `list` and `explain` only
// escaped, as a server's does that of `run`.
TEST(Hardening, CaseFileTextReachesTheConsoleOnlyEscaped) {
  const fs::path dir = fresh_dir("list");
  fs::copy(fs::path(CONDSPEC_SOURCE_DIR) / "cases", dir);
  const fs::path file = dir / "9110-13.1.2-if-none-match.yaml";
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  in.close();
  std::string yaml = text.str();
  const std::string title =
      "    title: If-None-Match with the current strong tag, as sent, gets 304 on GET\n";
  ASSERT_NE(yaml.find(title), std::string::npos);
  yaml.replace(yaml.find(title), title.size(),
               "    title: \"Owned\\e]0;title\\a\\e[2J\\u202Etxt.exe\\x9b\"\n");
  std::ofstream(file) << yaml;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"list", "--no-default-cases", "--cases", dir.string()},
        std::vector<std::string>{"explain", "--no-default-cases", "--cases", dir.string(),
                                 "inm-current-strong-tag"}}) {
    auto r = run_program(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(testing::first_unsafe(r.out), "") << args[0];
    EXPECT_NE(r.out.find("Owned\\x1b]0;title\\x07\\x1b[2J\\u202etxt.exe\\xc2\\x9b"),
              std::string::npos)
        << r.out.substr(0, 500);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace condspec::test

namespace condspec::test {
namespace {

// A TCP relay on 127.0.0.1 to another local port that counts the
// connections it accepted. In front of a cache it tells a test when a cache
// scenario has begun: each opens a connection of its own.
class CountingRelay {
 public:
  explicit CountingRelay(int to_port) : to_port_(to_port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
        ::listen(listener_, 16) != 0 ||
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0)
      return;
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_all(); });
  }
  ~CountingRelay() {
    // Every loop looks at stop_ at least every 50 ms; only the acceptor
    // adds pumps.
    stop_ = true;
    if (acceptor_.joinable()) acceptor_.join();
    pumps_.clear();
    ::close(listener_);
  }
  CountingRelay(const CountingRelay&) = delete;
  CountingRelay& operator=(const CountingRelay&) = delete;

  int port() const { return port_; }
  int accepted() const { return accepted_; }

 private:
  void accept_all() {
    while (!stop_) {
      pollfd entry{listener_, POLLIN, 0};
      if (::poll(&entry, 1, 50) != 1) continue;
      const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      if (client < 0) continue;
      ++accepted_;
      const int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(static_cast<uint16_t>(to_port_));
      if (::connect(upstream, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(upstream);
        ::close(client);
        continue;
      }
      pumps_.emplace_back([this, client, upstream] { pump(client, upstream); });
    }
  }
  // Both directions until either side closes (or the relay stops).
  void pump(int a, int b) const {
    char buffer[16384];
    bool open = true;
    while (open && !stop_) {
      pollfd entries[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
      if (::poll(entries, 2, 50) <= 0) continue;
      for (int i = 0; i < 2 && open; ++i) {
        if (!entries[i].revents) continue;
        const ssize_t n = ::read(entries[i].fd, buffer, sizeof buffer);
        const int to = i == 0 ? b : a;
        open = n > 0 && ::send(to, buffer, static_cast<size_t>(n), MSG_NOSIGNAL) == n;
      }
    }
    ::close(a);
    ::close(b);
  }

  int to_port_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread acceptor_;
  std::vector<std::jthread> pumps_;  // one per connection
};

// `condspec cache` interrupted while a scenario pauses (the step `pause: 2`
// that lets the cache's stored response go stale) and during the time it
// gives the cache to go upstream after answering: those waits wake on the
// signal as the socket waits do, so the run still ends within about a
// second, its reports written and marked incomplete, the scenario cut
// short left out.
TEST(Hardening, AnInterruptionDuringACacheScenarioPauseEndsTheRunWithinASecond) {
  const int origin_port = free_port();
  auto cache =
      ReferenceCache::start({.upstream = "http://127.0.0.1:" + std::to_string(origin_port)});
  ASSERT_TRUE(cache) << cache.error().message;
  CountingRelay relay((*cache)->port());
  ASSERT_GT(relay.port(), 0);
  const fs::path dir = fresh_dir("cache-pause");
  int code = -1;
  std::chrono::milliseconds took{0};
  {
    Background run({"cache", "--timeout", "30", "-j", "1", "--select",
                    "cache-revalidates-stale-with-stored-etag", "--report",
                    "json=" + (dir / "r.json").string(), "--origin-listen",
                    "127.0.0.1:" + std::to_string(origin_port),
                    "http://127.0.0.1:" + std::to_string(relay.port()) + "/"});
    // Discovery's connection, then the scenario's: its first step goes out,
    // the settle time after it passes, and the step `stale` pauses for 2 s.
    for (int i = 0; i < 2000 && relay.accepted() < 2; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    ASSERT_GE(relay.accepted(), 2) << "the scenario did not begin";
    std::this_thread::sleep_for(std::chrono::milliseconds{400});
    code = run.signal_and_wait(SIGINT, std::chrono::seconds{10}, took);
  }
  EXPECT_EQ(code, 3);
  EXPECT_LT(took.count(), 1500);
  std::ifstream json_file(dir / "r.json");
  std::stringstream text;
  text << json_file.rdbuf();
  const auto json = nlohmann::json::parse(text.str(), nullptr, false);
  ASSERT_TRUE(json.is_object()) << "no JSON report";
  EXPECT_EQ(json["complete"], false);
  EXPECT_TRUE(json["targets"][0]["unusable"].is_null()) << json["targets"][0]["unusable"];
  EXPECT_TRUE(json["targets"][0]["results"].empty()) << json["targets"][0]["results"].dump();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace condspec::test
