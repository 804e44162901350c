// The list of check kinds: its keys, and the documentation of those keys in
// docs/case-format.md, which must name exactly the kinds the code knows.

#include "src/cases/checks/check_spec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

namespace condspec {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The first column of the table that follows the line "The checks:", e.g.
// "| `status` | integer, ... |" -> "status".
std::vector<std::string> documented_keys(const std::string& markdown) {
  std::vector<std::string> keys;
  std::istringstream lines(markdown);
  std::string line;
  bool in_table = false;
  while (std::getline(lines, line)) {
    if (!in_table) {
      in_table = line == "The checks:";
      continue;
    }
    if (line.empty() && !keys.empty()) break;
    if (!line.starts_with("| `")) continue;
    const size_t end = line.find('`', 3);
    if (end != std::string::npos) keys.push_back(line.substr(3, end - 3));
  }
  return keys;
}

std::vector<std::string> sorted(std::vector<std::string> keys) {
  std::sort(keys.begin(), keys.end());
  return keys;
}

TEST(CheckKinds, KeysInDiagnosticOrder) {
  EXPECT_EQ(std::vector<std::string>(kCheckKeys.begin(), kCheckKeys.end()),
            (std::vector<std::string>{"status",
                                      "field",
                                      "same_fields_as",
                                      "no_content",
                                      "content_equals",
                                      "content_length_consistent",
                                      "last_modified_not_after_date",
                                      "etag_syntax",
                                      "date_syntax",
                                      "date_whitespace",
                                      "date_near_now",
                                      "content_length_exact",
                                      "exclusive_fields",
                                      "stored_as_sent",
                                      "strong_etag_differs",
                                      "responds",
                                      "content_length_matches_data",
                                      "absent_fields",
                                      "upstream_requests",
                                      "upstream_field",
                                      "not_stale",
                                      "one_field_line",
                                      "framing_decodable"}));
}

TEST(CheckKinds, TheCaseFormatDocumentsExactlyTheKindsTheCodeKnows) {
  const std::string doc = slurp(CONDSPEC_SOURCE_DIR "/docs/case-format.md");
  ASSERT_FALSE(doc.empty()) << "docs/case-format.md not found";
  const std::vector<std::string> documented = documented_keys(doc);
  const std::vector<std::string> known(kCheckKeys.begin(), kCheckKeys.end());
  EXPECT_EQ(sorted(documented), sorted(known))
      << "the table after \"The checks:\" in docs/case-format.md and CheckSpec "
         "(src/cases/checks/check_spec.h) must list the same keys";
}

// The parser of the table above, so that the test cannot pass by reading nothing.
TEST(CheckKinds, DocumentedKeysAreTheFirstColumnOfTheChecksTable) {
  EXPECT_EQ(documented_keys("| `other` | x |\n"
                            "The checks:\n"
                            "\n"
                            "| Check | Value | Meaning |\n"
                            "|---|---|---|\n"
                            "| `status` | integer | the status |\n"
                            "| `field` | mapping | a field |\n"
                            "\n"
                            "| `after` | x |\n"),
            (std::vector<std::string>{"status", "field"}));
  EXPECT_TRUE(documented_keys("| `status` | integer |\n").empty());
}

// The kinds that need a follow-up on the connection (or its close) to be
// judged; the executor sends one for them and shared requests leave them out.
TEST(CheckKinds, OnlyNoContentAndExactLengthJudgeTheBytesAfterAResponse) {
  EXPECT_TRUE(judges_bytes_after_response(CheckSpec{NoContentCheck{}}));
  EXPECT_TRUE(judges_bytes_after_response(CheckSpec{ContentLengthExactCheck{}}));
  EXPECT_FALSE(judges_bytes_after_response(CheckSpec{StatusCheck{}}));
  EXPECT_FALSE(judges_bytes_after_response(CheckSpec{ContentLengthMatchesDataCheck{}}));
}

}  // namespace
}  // namespace condspec
