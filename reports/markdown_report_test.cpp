// The Markdown renderer: the whole text for the sample run (its escaping
// is tested in report_text_test.cpp).

#include "reports/markdown_report.h"

#include <gtest/gtest.h>

#include "reports/sample_run_for_tests.h"

namespace condspec {
namespace {

using testing::sample_run;

TEST(MarkdownReport, VerdictCountsAndATablePerSection) {
  EXPECT_EQ(
      render_markdown_report(sample_run(), FailOn::must),
      "## ❌ condspec: gate failed: 1 MUST-level failure (--fail-on must)\n"
      "\n"
      "| pass | fail | warn | info | known | not applicable | error |\n"
      "|---:|---:|---:|---:|---:|---:|---:|\n"
      "| 1 | 1 | 1 | 0 | 0 | 1 | 1 |\n"
      "\n"
      "| level | checks held | checks broken |\n"
      "|---|---:|---:|\n"
      "| MUST | 1 | 1 |\n"
      "| SHOULD | 0 | 1 |\n"
      "\n"
      "\n"
      "### [RFC 9110 §13.1.2](https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2)\n"
      "\n"
      "| outcome | scenario | requirement | level | expected | actual |\n"
      "|---|---|---|---|---|---|\n"
      "| FAIL | inm\\-weak\\-form\\-of\\-strong\\-tag | "
      "[9110\\-13\\.1\\.2\\-weak\\-compare](https://www.rfc-editor.org/rfc/"
      "rfc9110#section-13.1.2) | MUST | status 304 | status 200 |\n"
      "\n"
      "### [RFC 9110 §13.1.3](https://www.rfc-editor.org/rfc/rfc9110#section-13.1.3)\n"
      "\n"
      "| outcome | scenario | requirement | level | expected | actual |\n"
      "|---|---|---|---|---|---|\n"
      "| ERROR | ims\\-equal\\-date | | | | timed out after 10000 ms waiting for the "
      "response head |\n"
      "\n"
      "### [RFC 9110 §15.4.5](https://www.rfc-editor.org/rfc/rfc9110#section-15.4.5)\n"
      "\n"
      "| outcome | scenario | requirement | level | expected | actual |\n"
      "|---|---|---|---|---|---|\n"
      "| WARN | nm\\-304\\-carries\\-cache\\-control | "
      "[9110\\-15\\.4\\.5\\-carry\\-fields](https://www.rfc-editor.org/rfc/"
      "rfc9110#section-15.4.5) | SHOULD | Cache\\-Control: max\\-age=60 | no Cache\\-Control |\n"
      "\n"
      "### Next steps\n"
      "\n"
      "- FAIL inm\\-weak\\-form\\-of\\-strong\\-tag on http://127\\.0\\.0\\.1:8080/a "
      "\\(http/1\\.1\\):\n"
      "  - next step: condspec explain inm\\-weak\\-form\\-of\\-strong\\-tag\n"
      "  - reproduce step 'revalidate': curl \\-sS \\-i \\-\\-http1\\.1 \\-H 'If\\-None\\-Match: "
      "W/\"x\"' \\-H 'Accept:' 'http://127\\.0\\.0\\.1:8080/a'\n"
      "- WARN nm\\-304\\-carries\\-cache\\-control on http://127\\.0\\.0\\.1:8080/a "
      "\\(http/1\\.1\\):\n"
      "  - next step: condspec explain nm\\-304\\-carries\\-cache\\-control\n"
      "- ERROR ims\\-equal\\-date on http://127\\.0\\.0\\.1:8080/a \\(http/1\\.1\\):\n"
      "  - next step: condspec explain ims\\-equal\\-date\n"
      "\n"
      "<details><summary>1 scenario run not applicable (<code>condspec explain ID</code> says "
      "what each needs)</summary>\n"
      "\n"
      "- the target sends no weak ETag: inm\\-own\\-weak\\-tag\n"
      "\n"
      "</details>\n");
}

TEST(MarkdownReport, KnownFailuresBaselineNotesAndIncompleteRuns) {
  RunResult run = sample_run();
  run.targets[0].results[0].known = KnownFailure{"vendor bug", ""};
  run.baseline_notes.push_back(
      "baseline entry inm-exact / 9110-13.1.2-weak-compare no longer fails: remove it");
  run.complete = false;
  const std::string md = render_markdown_report(run, FailOn::must);
  EXPECT_TRUE(
      md.starts_with("## ⚠️ condspec: not judged: the run was interrupted\n\n"
                     "**The run was interrupted: these results are incomplete.**\n"))
      << md;
  EXPECT_NE(md.find("| KNOWN (vendor bug) | inm\\-weak"), std::string::npos) << md;
  EXPECT_TRUE(
      md.ends_with("\n### Baseline\n\n- baseline entry inm\\-exact / "
                   "9110\\-13\\.1\\.2\\-weak\\-compare no longer fails: remove it\n"))
      << md;
}

TEST(MarkdownReport, AProtocolColumnOnceAnotherProtocolThanHttp1WasJudged) {
  const std::string text =
      render_markdown_report(testing::sample_run_over_two_protocols(), FailOn::must);
  EXPECT_NE(text.find("| outcome | scenario | requirement | level | expected | actual | target | "
                      "protocol |\n|---|---|---|---|---|---|---|---|\n"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("| MUST | status 304 | status 200 | http://127\\.0\\.0\\.1:8080/a | http/1.1 |\n"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("| MUST | status 304 | status 200 | https://127\\.0\\.0\\.1:8443/a | h2 |\n"),
            std::string::npos)
      << text;
  // Over HTTP/1.1 alone: no protocol column (the first test's exact text).
  EXPECT_EQ(render_markdown_report(testing::sample_run(), FailOn::must).find("protocol |"),
            std::string::npos);
}

}  // namespace
}  // namespace condspec
