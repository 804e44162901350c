// End-to-end: every broken case file in tests/bad-cases/ makes
// `condspec lint` exit with code 2 and print exactly the diagnostics in its
// sibling .expected file (docs/robustness.md): each located message with the
// line it points at and a caret under the column.
//
//   tests/bad-cases/scenarios/NAME.yaml   a scenario file, linted beside
//                                         tests/bad-cases/requirements.yaml
//   tests/bad-cases/catalogs/NAME.yaml    a broken requirements.yaml, alone
//   NAME.expected                         the exact stderr; "$CASES" stands
//                                         for the cases directory linted

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/process.h"
#include "tests/test_files.h"

namespace condspec::test {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(CONDSPEC_SOURCE_DIR) / "tests" / "bad-cases";

struct BadCase {
  std::string kind;  // "scenarios" or "catalogs"
  std::string name;  // file name without .yaml
};

// For test names and failure messages: "scenarios/duplicate-key".
void PrintTo(const BadCase& c, std::ostream* os) {
  *os << c.kind << "/" << c.name;
}

std::vector<BadCase> corpus() {
  std::vector<BadCase> cases;
  for (const char* kind : {"scenarios", "catalogs"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(kCorpus / kind, ec))
      if (entry.path().extension() == ".yaml")
        cases.push_back({kind, entry.path().stem().string()});
  }
  std::sort(cases.begin(), cases.end(), [](const BadCase& a, const BadCase& b) {
    return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
  });
  return cases;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// A fresh cases directory for one test.
fs::path cases_dir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("condspec-bad-cases-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

class BadCaseFile : public testing::TestWithParam<BadCase> {};

TEST_P(BadCaseFile, LintPrintsTheExactDiagnosticsAndExitsTwo) {
  const BadCase& c = GetParam();
  const fs::path source = kCorpus / c.kind / (c.name + ".yaml");
  const fs::path expected_file = kCorpus / c.kind / (c.name + ".expected");
  ASSERT_TRUE(fs::exists(expected_file)) << expected_file << " is missing";

  const fs::path dir = cases_dir(c.kind + "-" + c.name);
  if (c.kind == "catalogs") {
    fs::copy_file(source, dir / "requirements.yaml");
  } else {
    fs::copy_file(kCorpus / "requirements.yaml", dir / "requirements.yaml");
    fs::copy_file(source, dir / (c.name + ".yaml"));
  }
  const auto r = run_program({"lint", "--no-default-cases", "--cases", dir.string()},
                             std::chrono::seconds{30});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, replace_all(slurp(expected_file), "$CASES", dir.string()));
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadCaseFile, testing::ValuesIn(corpus()),
                         [](const testing::TestParamInfo<BadCase>& info) {
                           std::string name = info.param.kind + "_" + info.param.name;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(BadCaseCorpus, EveryExpectationHasItsFile) {
  EXPECT_GE(corpus().size(), 25u);
  for (const char* kind : {"scenarios", "catalogs"}) {
    for (const auto& entry : fs::directory_iterator(kCorpus / kind)) {
      const fs::path p = entry.path();
      EXPECT_TRUE(p.extension() == ".yaml" || p.extension() == ".expected") << p;
      if (p.extension() == ".expected") {
        fs::path yaml = p;
        EXPECT_TRUE(fs::exists(yaml.replace_extension(".yaml"))) << p << " has no .yaml";
      }
    }
  }
}

// Too big to commit: ids and sections of hundreds of kilobytes are rejected
// with a diagnostic. (They used to overflow the stack in std::regex.)
TEST(BadCaseCorpus, HugeIdsAreDiagnosedNotACrash) {
  const fs::path dir = cases_dir("huge-ids");
  fs::copy_file(kCorpus / "requirements.yaml", dir / "requirements.yaml");
  const std::string huge_section(300000, '1');
  const std::string huge_id(300000, 'a');
  std::ofstream(dir / "huge.yaml") << "section: \"" << huge_section << ".x\"\n"
                                   << "title: Huge\n"
                                   << "scenarios:\n"
                                   << "  - id: " << huge_id << "-\n"
                                   << "    title: A huge id\n"
                                   << "    steps:\n"
                                   << "      - id: " << huge_id << "\n";
  const auto r = run_program({"lint", "--no-default-cases", "--cases", dir.string()},
                             std::chrono::seconds{30});
  EXPECT_EQ(r.exit_code, 2) << r.err.substr(0, 2000);
  const std::string file = (dir / "huge.yaml").string();
  const std::string dots(60, '1');
  // The source lines are cut to 120 columns around the column.
  EXPECT_EQ(r.err, file + ":1:10: 'section' must be a section number such as \"13.1.2\", got '" +
                       dots + "...'\n" + "section: \"" + std::string(110, '1') + "...\n" +
                       std::string(9, ' ') + "^\n" + file + ":4:9: scenario id '" +
                       std::string(60, 'a') +
                       "...' must be lowercase letters and digits joined by '-', e.g. "
                       "inm-weak-tag\n" +
                       "  - id: " + std::string(112, 'a') + "...\n" + std::string(8, ' ') + "^\n");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace condspec::test
