// The JUnit renderer: exact elements for each outcome and gate level.

#include "reports/junit_report.h"

#include <gtest/gtest.h>

#include "reports/sample_run_for_tests.h"

namespace condspec {
namespace {

using testing::sample_run;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(JunitReport, OneTestcasePerScenarioWithRfcSectionAsClassname) {
  const std::string xml = render_junit_report(sample_run(), FailOn::must);
  EXPECT_TRUE(
      xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<testsuites name=\"condspec\" tests=\"5\" failures=\"1\" "
                      "errors=\"1\" skipped=\"1\" time=\"0.312\">\n"
                      "  <testsuite name=\"http://127.0.0.1:8080/a\" tests=\"5\" "
                      "failures=\"1\" errors=\"1\" skipped=\"1\" time=\"0.002\">\n"))
      << xml;
  EXPECT_TRUE(contains(xml,
                       "    <testcase name=\"inm-exact\" classname=\"RFC9110.13.1.2\" "
                       "time=\"0.001\"/>\n"))
      << xml;
  EXPECT_TRUE(contains(xml,
                       "    <testcase name=\"inm-own-weak-tag\" classname=\"RFC9110.13.1.2\" "
                       "time=\"0.000\">\n"
                       "      <skipped message=\"the target sends no weak ETag\"/>\n"
                       "    </testcase>\n"))
      << xml;
  EXPECT_TRUE(xml.ends_with("  </testsuite>\n</testsuites>\n"));
}

TEST(JunitReport, FailureNamesRequirementExpectedActualAndTheExchange) {
  const std::string xml = render_junit_report(sample_run(), FailOn::must);
  EXPECT_TRUE(contains(
      xml,
      "    <testcase name=\"inm-weak-form-of-strong-tag\" classname=\"RFC9110.13.1.2\" "
      "time=\"0.001\">\n"
      "      <failure type=\"fail\" message=\"9110-13.1.2-weak-compare (MUST): expected status "
      "304, actual status 200\">inm-weak-form-of-strong-tag — If-None-Match with the weak form "
      "of the current strong tag gets 304\n"
      "target http://127.0.0.1:8080/a (http/1.1)\n"
      "fail 9110-13.1.2-weak-compare (MUST, RFC 9110 §13.1.2): The server answered 200 where "
      "304 was expected.\n"
      "  expected status 304\n"
      "  actual   status 200\n"
      "next step: condspec explain inm-weak-form-of-strong-tag\n"
      "reproduce step &#39;revalidate&#39;: curl -sS -i --http1.1 -H &#39;If-None-Match: "
      "W/&quot;x&quot;&#39; -H &#39;Accept:&#39; &#39;http://127.0.0.1:8080/a&#39;\n"
      "\n"
      "exchanges:\n"
      "-- step revalidate → http://127.0.0.1:8080/a\n"
      "  &gt; GET /a HTTP/1.1\\r\\n\n"
      "  &gt; If-None-Match: W/&quot;x&quot;\\r\\n\n"
      "  &gt; \\r\\n\n"
      "  &lt; HTTP/1.1 200 OK\\r\\n\n"
      "  &lt; ETag: &quot;x&quot;\\r\\n\n"
      "  &lt; \\r\\n\n"
      "  &lt; [5 content bytes]\n"
      "</failure>\n"))
      << xml;
}

TEST(JunitReport, WarnIsAFailureOnlyUnderFailOnShould) {
  const std::string must = render_junit_report(sample_run(), FailOn::must);
  EXPECT_TRUE(contains(must,
                       "    <testcase name=\"nm-304-carries-cache-control\" "
                       "classname=\"RFC9110.15.4.5\" time=\"0.000\">\n"
                       "      <system-out>nm-304-carries-cache-control"))
      << must;
  const std::string should = render_junit_report(sample_run(), FailOn::should);
  EXPECT_TRUE(contains(should,
                       "      <failure type=\"warn\" message=\"9110-15.4.5-carry-fields (SHOULD): "
                       "expected Cache-Control: max-age=60, actual no Cache-Control\">"))
      << should;
  EXPECT_TRUE(contains(should, "failures=\"2\""));
}

TEST(JunitReport, ErrorIsAnErrorNotAFailure) {
  const std::string xml = render_junit_report(sample_run(), FailOn::must);
  EXPECT_TRUE(contains(xml,
                       "      <error type=\"error\" message=\"timed out after 10000 ms waiting for "
                       "the response head\">ims-equal-date"))
      << xml;
}

TEST(JunitReport, KnownFailureIsSkippedWithTheBaselineReason) {
  RunResult run = sample_run();
  run.targets[0].results[0].known = KnownFailure{"vendor bug #12", "2030-01-01"};
  const std::string xml = render_junit_report(run, FailOn::must);
  EXPECT_TRUE(contains(xml,
                       "      <skipped message=\"known failure: vendor bug #12\"/>\n"
                       "      <system-out>inm-weak-form-of-strong-tag"))
      << xml;
  EXPECT_TRUE(contains(xml, "known failure (baseline): vendor bug #12 (expires 2030-01-01)\n"));
  EXPECT_TRUE(contains(xml, "<testsuites name=\"condspec\" tests=\"5\" failures=\"0\""));
}

TEST(JunitReport, HostileAndInvalidBytesStayWellFormedText) {
  const std::string xml =
      render_junit_report(sample_run("\"</failure>]]><x y='1'>\x01\xff\""), FailOn::must);
  EXPECT_TRUE(contains(xml,
                       "  &lt; ETag: &quot;&lt;/failure&gt;]]&gt;&lt;x y=&#39;1&#39;&gt;"
                       "\\x01\\xff&quot;\\r\\n\n"))
      << xml;
}

TEST(JunitReport, UnusableTargetAndInterruptedRunAreErrors) {
  RunResult run;
  run.elapsed = std::chrono::microseconds{0};
  run.complete = false;
  TargetResult target;
  target.url = "http://127.0.0.1:1/x";
  target.unusable = "connect to 127.0.0.1:1: connection refused";
  run.targets.push_back(target);
  const std::string xml = render_junit_report(run, FailOn::must);
  EXPECT_TRUE(contains(xml,
                       "    <testcase name=\"discovery\" classname=\"condspec.target\" "
                       "time=\"0.000\">\n"
                       "      <error type=\"unusable\" message=\"connect to 127.0.0.1:1: "
                       "connection refused\">"))
      << xml;
  EXPECT_TRUE(contains(xml,
                       "      <error type=\"interrupted\" message=\"the run was interrupted: "
                       "these results are incomplete\"/>\n"))
      << xml;
  EXPECT_TRUE(contains(xml,
                       "<testsuites name=\"condspec\" tests=\"2\" failures=\"0\" "
                       "errors=\"2\" skipped=\"0\""));
}

TEST(JunitReport, OverHttp2TheClassnameAndSuiteNameTheProtocol) {
  RunResult run = testing::sample_run_over_two_protocols();
  TargetResult unusable;
  unusable.url = "http://127.0.0.1:1/x";
  unusable.protocol = Protocol::h2c;
  unusable.unusable = "connection closed without a response";
  run.targets.push_back(unusable);
  const std::string xml = render_junit_report(run, FailOn::must);
  // HTTP/1.1 keeps the names dashboards know.
  EXPECT_TRUE(contains(xml, "  <testsuite name=\"http://127.0.0.1:8080/a\" tests=\"5\""));
  EXPECT_TRUE(contains(xml, "    <testcase name=\"inm-exact\" classname=\"RFC9110.13.1.2\""));
  // Another protocol is a package and a suite of its own.
  EXPECT_TRUE(contains(xml, "  <testsuite name=\"https://127.0.0.1:8443/a (h2)\" tests=\"5\""))
      << xml;
  EXPECT_TRUE(contains(xml, "    <testcase name=\"inm-exact\" classname=\"h2.RFC9110.13.1.2\""));
  EXPECT_TRUE(contains(xml, "target https://127.0.0.1:8443/a (h2)\n"));
  EXPECT_TRUE(contains(xml, "    <testcase name=\"discovery\" classname=\"h2c.condspec.target\""));
  EXPECT_TRUE(contains(xml, "  <testsuite name=\"http://127.0.0.1:1/x (h2c)\""));
}

}  // namespace
}  // namespace condspec
