// condspec against real servers (nginx, Apache httpd, lighttpd, Caddy, h2o,
// Python's http.server, Express, http-server) and frameworks (Jetty, Go's
// net/http, Tornado, aiohttp, Starlette, Rack, Mojolicious), and over HTTP/2
// nginx, Apache httpd with mod_http2, h2o and nghttpd (h2c and h2),
// each started by
// scripts/real-servers.sh on 127.0.0.1 with its own config and the fixed
// docroot: condspec's verdict on every requirement must be the one recorded,
// with its justification, in tests/real-servers/<name>.yaml.
//
// A server that is not installed is skipped with a message, unless it is
// named in CONDSPEC_REQUIRE_REAL_SERVERS (space-separated, or "all"):
// scripts/ci-real-servers.sh names the ones scripts/setup-ci.sh installs.
//
// Every request carries Accept-Encoding: gzip, as a browser's would, so the
// compressing variants compress; the others ignore it.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "tests/process.h"
#include "tests/real_server_verdicts.h"
#include "tests/server_scripts.h"

namespace condspec::test {
namespace {

namespace fs = std::filesystem;

const std::string kSource = CONDSPEC_SOURCE_DIR;

// --- the comparison, on made-up verdicts: the exact lines a reader sees ---

Observed observed(std::map<std::string, ObservedVerdict> verdicts) {
  Observed o;
  o.verdicts = std::move(verdicts);
  return o;
}

TEST(RealServerVerdicts, AgreementHasNoMismatch) {
  Expected e{"nginx", {{"r-pass", "pass"}, {"r-fail", "fail"}, {"r-na", "not_applicable"}}, {}};
  auto c = compare(e, observed({{"r-pass", {"pass", {}}}, {"r-fail", {"fail", {"s1"}}}}), "f.yaml");
  EXPECT_TRUE(c.mismatches.empty());
  EXPECT_TRUE(c.notes.empty());
}

TEST(RealServerVerdicts, DifferentVerdictNamesTheScenarios) {
  Expected e{"nginx", {{"r", "pass"}}, {}};
  auto c = compare(e, observed({{"r", {"fail", {"s2", "s1"}}}}), "f.yaml");
  ASSERT_EQ(c.mismatches.size(), 1u);
  EXPECT_EQ(c.mismatches[0], "f.yaml: r: expected pass, condspec says fail (scenarios: s1, s2)");
}

TEST(RealServerVerdicts, ExpectedButNotJudgedIsNotApplicable) {
  Expected e{"nginx", {{"r", "fail"}}, {}};
  auto c = compare(e, observed({}), "f.yaml");
  ASSERT_EQ(c.mismatches.size(), 1u);
  EXPECT_EQ(c.mismatches[0], "f.yaml: r: expected fail, condspec says not_applicable");
}

TEST(RealServerVerdicts, UnlistedFailureIsUntriagedUnlistedPassIsFine) {
  Expected e{"nginx", {}, {}};
  auto c = compare(e, observed({{"r-new", {"warn", {"s"}}}, {"r-ok", {"pass", {}}}}), "f.yaml");
  ASSERT_EQ(c.mismatches.size(), 1u);
  EXPECT_EQ(c.mismatches[0],
            "f.yaml: r-new: condspec says warn (scenarios: s), and it is not listed: a new, "
            "untriaged deviation; judge it against RFC 9110 and record it");
}

// Real caches record how they handle each broken origin (docs/cache.md).
TEST(RealServerVerdicts, HandlingsAreComparedWhenRecorded) {
  Expected e{"squid", {}, {}};
  e.handling = std::map<std::string, std::string>{{"s-length", "damaged"}, {"s-tag", "repaired"}};
  Observed o;
  o.handling = {{"s-length", {"damaged", "step 'after' got Content-Length: 0"}},
                {"s-tag", {"passed-through", "step 'after' got ETag absent"}},
                {"s-new", {"refetched", "after the origin's 304 ..."}}};
  auto c = compare(e, o, "f.yaml");
  ASSERT_EQ(c.mismatches.size(), 2u);
  EXPECT_EQ(c.mismatches[0],
            "f.yaml: handling of s-tag: expected repaired, condspec says passed-through (step "
            "'after' got ETag absent)");
  EXPECT_EQ(c.mismatches[1],
            "f.yaml: handling of s-new: condspec says refetched (after the origin's 304 ...), and "
            "it is not recorded");
  o.handling.erase("s-new");
  o.handling.erase("s-tag");
  c = compare(e, o, "f.yaml");
  ASSERT_EQ(c.mismatches.size(), 1u);
  EXPECT_EQ(c.mismatches[0], "f.yaml: handling of s-tag: expected repaired, condspec reports none");
  e.handling.reset();  // not recorded (the real servers): not compared
  EXPECT_TRUE(compare(e, o, "f.yaml").mismatches.empty());
}

TEST(RealServerVerdicts, PendingDisagreementIsANoteUntilResolved) {
  Expected e{"python", {}, {{"r", Pending{"fail", "not_applicable", "D1"}}}};
  auto still = compare(e, observed({}), "f.yaml");
  EXPECT_TRUE(still.mismatches.empty());
  ASSERT_EQ(still.notes.size(), 1u);
  EXPECT_EQ(still.notes[0],
            "f.yaml: r: pending D1: condspec says not_applicable, the verdict RFC 9110 calls for "
            "is fail");

  auto fixed = compare(e, observed({{"r", {"fail", {"s"}}}}), "f.yaml");
  ASSERT_EQ(fixed.mismatches.size(), 1u);
  EXPECT_EQ(fixed.mismatches[0],
            "f.yaml: r: disagreement D1 is resolved (condspec now says fail): make it an "
            "ordinary entry and mark it fixed in DISAGREEMENTS.md");

  auto other = compare(e, observed({{"r", {"pass", {}}}}), "f.yaml");
  ASSERT_EQ(other.mismatches.size(), 1u);
  EXPECT_EQ(other.mismatches[0],
            "f.yaml: r: pending D1 expects condspec to say not_applicable (RFC 9110: fail), "
            "condspec says pass");
}

TEST(RealServerVerdicts, ErrorsAndUnusableTargetsAreMismatches) {
  Observed o;
  o.scenario_errors = {"s: timed out"};
  auto c = compare(Expected{"h2o", {}, {}}, o, "f.yaml");
  ASSERT_EQ(c.mismatches.size(), 1u);
  EXPECT_EQ(c.mismatches[0], "f.yaml: scenario s: timed out (an error, never a verdict)");
  o.unusable = "connection refused";
  c = compare(Expected{"h2o", {}, {}}, o, "f.yaml");
  ASSERT_EQ(c.mismatches.size(), 1u);
  EXPECT_EQ(c.mismatches[0], "f.yaml: condspec could not use the target: connection refused");
}

TEST(RealServerVerdicts, ObservedTakesTheWorstCheckPerRequirement) {
  const std::string json = R"({"targets":[{"url":"u","unusable":null,"results":[
    {"scenario":"a","outcome":"pass","checks":[{"requirement":"r","outcome":"pass"}]},
    {"scenario":"b","outcome":"warn","checks":[{"requirement":"r","outcome":"warn"},
                                                {"requirement":"q","outcome":"pass"}]},
    {"scenario":"c","outcome":"not_applicable","reason":"no ETag","checks":[]},
    {"scenario":"d","outcome":"error","reason":"timed out","checks":[]},
    {"scenario":"e","outcome":"fail","checks":[{"requirement":"p","outcome":"fail"},
                                                {"requirement":"p","outcome":"error"}]}]}]})";
  auto o = observed_from_json(json);
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->verdicts.at("r").outcome, "warn");
  EXPECT_EQ(o->verdicts.at("p").outcome, "fail");  // as the engine ranks them
  EXPECT_EQ(o->verdicts.at("r").scenarios, std::set<std::string>{"b"});
  EXPECT_EQ(o->verdicts.at("q").outcome, "pass");
  EXPECT_EQ(o->scenario_errors, std::vector<std::string>{"d: timed out"});
  EXPECT_FALSE(observed_from_json("{}").ok());
}

fs::path write_file(const std::string& name, const std::string& content) {
  const auto path =
      fs::temp_directory_path() / ("condspec-verdicts-" + std::to_string(getpid()) + "-" + name);
  std::FILE* f = std::fopen(path.c_str(), "w");
  std::fputs(content.c_str(), f);
  std::fclose(f);
  return path;
}

TEST(RealServerVerdicts, ExpectedFileErrorsNameFileAndEntry) {
  auto path = write_file("a.yaml",
                         "server: x\nmeets: [r1]\ndeviations:\n  - requirement: r1\n"
                         "    outcome: fail\n    section: '1'\n    level: MUST\n"
                         "    why: w\n    exchange: e\n");
  auto e = expected_from_yaml(path);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, path.string() + ": deviation r1: requirement 'r1' is listed twice");

  path = write_file("b.yaml",
                    "server: x\ndeviations:\n  - requirement: r1\n    outcome: fail\n"
                    "    section: '1'\n    level: MUST\n    exchange: e\n");
  e = expected_from_yaml(path);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, path.string() + ": deviation r1: 'why' must be a non-empty text");

  path = write_file("c.yaml", "server: x\nmeet: [r1]\n");
  e = expected_from_yaml(path);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message,
            path.string() +
                ": unknown key 'meet' (expected one of: server, description, meets, "
                "not_applicable, deviations, pending, handling)");

  path = write_file("d.yaml",
                    "server: x\nmeets: [r1]\nnot_applicable: [r2]\npending:\n"
                    "  - requirement: r3\n    expect: fail\n    condspec_says: pass\n"
                    "    disagreement: D9\n    rfc: r\n    why: w\n    exchange: e\n");
  e = expected_from_yaml(path);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e->outcomes.at("r1"), "pass");
  EXPECT_EQ(e->outcomes.at("r2"), "not_applicable");
  EXPECT_EQ(e->pending.at("r3").condspec_says, "pass");

  path = write_file("e.yaml",
                    "server: x\npending:\n  - requirement: r3\n    expect: fail\n"
                    "    condspec_says: pass\n    disagreement: D9\n    why: w\n    quote: q\n");
  e = expected_from_yaml(path);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message,
            path.string() +
                ": pending r3: unknown key 'quote' (expected one of: requirement, expect, "
                "condspec_says, disagreement, scenario, section, level, rfc, why, exchange)");

  // An error is recorded only with the scenario that ends in it.
  path = write_file("f.yaml",
                    "server: x\npending:\n  - requirement: r3\n    expect: fail\n"
                    "    condspec_says: error\n    disagreement: D9\n    why: w\n");
  e = expected_from_yaml(path);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message,
            path.string() +
                ": pending r3: expect and condspec_says must be pass, fail, warn, info or "
                "not_applicable (condspec_says may be error with the scenario named)");
}

// A scenario error recorded as pending is a note while it lasts, and a
// mismatch once it is gone; any other error stays a mismatch.
TEST(RealServerVerdicts, ARecordedScenarioErrorIsANoteUntilItIsGone) {
  Expected e;
  e.pending["r1"] = Pending{"fail", "error", "D13", "s"};
  Observed o;
  o.scenario_errors = {"s: step 'fetch': connection closed after 0 of 9 content bytes",
                       "t: timed out"};
  auto c = compare(e, o, "f.yaml");
  ASSERT_EQ(c.mismatches.size(), 1u);
  EXPECT_EQ(c.mismatches[0], "f.yaml: scenario t: timed out (an error, never a verdict)");
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_EQ(c.notes[0],
            "f.yaml: r1: pending D13: scenario s ends in error, the verdict RFC 9110 calls for "
            "is fail");
  o.scenario_errors.clear();
  o.verdicts["r1"] = ObservedVerdict{"fail", {"s"}};
  c = compare(e, o, "f.yaml");
  ASSERT_EQ(c.mismatches.size(), 1u);
  EXPECT_EQ(c.mismatches[0],
            "f.yaml: r1: pending D13 expects scenario s to end in error, and it did not "
            "(condspec says fail): make it an ordinary entry and mark it in DISAGREEMENTS.md");
}

// --- the HTTP/2 variants' files against their HTTP/1.1 ones ---

// Requirements judged over one protocol only, whatever the server: HTTP/1.1
// framing (RFC 9112) and HTTP/2 framing (RFC 9113), and 9110-5.3-whole-header,
// whose only scenario splits its header section over two writes, which
// HTTP/2 does not carry (docs/http2.md).
bool judged_over_one_protocol(const std::string& requirement) {
  return requirement.starts_with("9112-") || requirement.starts_with("9113-") ||
         requirement == "9110-5.3-whole-header";
}

// "requirement: A in a.yaml, B in b.yaml" for each requirement both files
// can judge whose expected verdicts differ; an unlisted requirement is
// not_applicable, as in compare().
std::vector<std::string> verdict_differences(const std::string& a_name, const std::string& b_name,
                                             bool both_http2) {
  auto read = [](const std::string& name) {
    auto expected = expected_from_yaml(kSource + "/tests/real-servers/" + name + ".yaml");
    EXPECT_TRUE(expected.ok()) << expected.error().message;
    return expected.ok() ? *expected : Expected{};
  };
  const Expected a = read(a_name), b = read(b_name);
  auto verdict = [](const Expected& e, const std::string& q) -> std::string {
    if (auto p = e.pending.find(q); p != e.pending.end()) return "pending " + p->second.expect;
    auto o = e.outcomes.find(q);
    return o == e.outcomes.end() ? "not_applicable" : o->second;
  };
  std::set<std::string> requirements;
  for (const Expected* e : {&a, &b}) {
    for (const auto& [q, _] : e->outcomes) requirements.insert(q);
    for (const auto& [q, _] : e->pending) requirements.insert(q);
  }
  std::vector<std::string> differences;
  for (const auto& q : requirements) {
    if (!both_http2 && judged_over_one_protocol(q)) continue;
    if (verdict(a, q) != verdict(b, q))
      differences.push_back(q + ": " + verdict(a, q) + " in " + a_name + ".yaml, " + verdict(b, q) +
                            " in " + b_name + ".yaml");
  }
  return differences;
}

// The files record, and docs/compatibility.md says, that nginx, Apache httpd
// and h2o give every requirement the same verdict over HTTP/2 (h2c and h2)
// as over HTTP/1.1, and nghttpd the same over h2 as over h2c. A server
// whose HTTP/2 answers differ is a finding: record the difference here, with
// its reason, and in the server's description, not by editing one file alone.
TEST(RealServerFiles, Http2VariantsRecordTheVerdictsOfTheSameServerOverHttp1) {
  for (const std::string server : {"nginx", "apache2", "h2o"})
    for (const std::string variant : {"-h2c", "-h2"})
      EXPECT_EQ(verdict_differences(server, server + variant, false), std::vector<std::string>{})
          << server + variant;
  EXPECT_EQ(verdict_differences("nghttpd-h2c", "nghttpd-h2", true), std::vector<std::string>{});
}

// --- the real servers ---

constexpr std::chrono::seconds kScriptBound{120};

class RealServer : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("condspec-real-" + std::to_string(getpid()) + "-" + GetParam());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    script_ = "env CONDSPEC_REAL_RUN=" + (dir_ / "run").string() + " bash " + kSource +
              "/scripts/real-servers.sh";
  }
  void TearDown() override {
    if (started_) shell(script_ + " stop " + GetParam(), kScriptBound);
    fs::remove_all(dir_);
  }
  fs::path dir_;
  std::string script_;
  bool started_ = false;
};

TEST_P(RealServer, VerdictsMatchTheRecordedOnes) {
  const std::string name = GetParam();
  const auto available = shell(script_ + " available " + name, kScriptBound);
  ASSERT_TRUE(available.code == 0 || available.code == 1) << available.out;
  if (available.code == 1) {
    if (required(name))
      FAIL() << name << " is not installed, and CONDSPEC_REQUIRE_REAL_SERVERS requires it "
             << "(scripts/real-servers.sh install " << name << ")";
    GTEST_SKIP() << name << " is not installed: skipped (scripts/real-servers.sh install " << name
                 << " installs it)";
  }
  const std::string file = "tests/real-servers/" + name + ".yaml";
  auto expected = expected_from_yaml(kSource + "/" + file);
  ASSERT_TRUE(expected.ok()) << expected.error().message;

  const auto docroot = dir_ / "docroot";
  auto prepared = shell(script_ + " docroot " + docroot.string(), kScriptBound);
  ASSERT_EQ(prepared.code, 0) << prepared.out;
  Shell started;
  for (int attempt = 0; attempt < 3 && started.code != 0; ++attempt) {
    started = shell(
        script_ + " start " + name + " " + std::to_string(free_port()) + " " + docroot.string(),
        kScriptBound);
  }
  ASSERT_EQ(started.code, 0) << started.out;
  started_ = true;
  std::string base = started.out.substr(0, started.out.find('\n'));
  base = base.substr(base.find("http"));
  const std::string version = shell(script_ + " version " + name, kScriptBound).out;

  std::vector<std::string> args = {base + "condspec.txt", "--header", "Accept-Encoding: gzip",
                                   "--fail-on", "never"};
  // An -h2c variant serves HTTP/2 over cleartext with prior knowledge; an -h2
  // variant HTTP/2 over TLS with the certificate named on the second line.
  if (name.ends_with("-h2c")) args.insert(args.end(), {"--protocol", "h2c"});
  if (name.ends_with("-h2")) {
    const auto second = started.out.find("\n--cacert ");
    ASSERT_NE(second, std::string::npos) << started.out;
    std::string ca = started.out.substr(second + std::string("\n--cacert ").size());
    ca = ca.substr(0, ca.find('\n'));
    args.insert(args.end(), {"--protocol", "h2", "--cacert", ca});
  }
  auto run = run_with_json_report(args);
  ASSERT_FALSE(run.json.empty()) << run.completed.out << run.completed.err;
  auto observed = observed_from_json(run.json);
  ASSERT_TRUE(observed.ok()) << observed.error().message;

  const auto comparison = compare(*expected, *observed, file);
  std::string report;
  for (const auto& line : comparison.mismatches) report += "\n  " + line;
  EXPECT_TRUE(comparison.mismatches.empty())
      << version << "condspec's verdicts differ from " << file << ":" << report;
  for (const auto& note : comparison.notes) std::cout << "[ pending  ] " << note << "\n";
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (auto& ch : name)
    if (ch == '-') ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(, RealServer,
                         ::testing::Values("nginx", "nginx-gzip", "apache2", "apache2-gzip",
                                           "lighttpd", "lighttpd-gzip", "caddy", "caddy-gzip",
                                           "h2o", "h2o-gzip", "python", "express", "http-server",
                                           "jetty", "go", "tornado", "aiohttp", "starlette", "rack",
                                           "mojolicious", "nginx-h2c", "apache2-h2c", "h2o-h2c",
                                           "nghttpd-h2c", "nginx-h2", "apache2-h2", "h2o-h2",
                                           "nghttpd-h2"),
                         test_name);

}  // namespace
}  // namespace condspec::test
