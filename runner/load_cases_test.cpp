// Loading the case files for a command: the suite, or the diagnostics and,
// for commands that send requests, the line saying nothing was run.

#include "runner/load_cases.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace condspec {
namespace {

namespace fs = std::filesystem;

class LoadCases : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "condspec-load-cases-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = fs::canonical(pattern);
    std::ofstream(dir_ / "requirements.yaml") << R"(requirements:
  - id: 9110-13.1.2-evaluate
    rfc: "9110"
    section: "13.1.2"
    level: MUST
    summary: If-None-Match is evaluated.
    link: https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2
)";
  }
  void TearDown() override { fs::remove_all(dir_); }

  CasesOptions only_this_folder() const { return {{dir_.string()}, true}; }

  fs::path dir_;
};

TEST_F(LoadCases, AGoodFolderGivesItsSuiteAndSaysNothing) {
  std::ostringstream err;
  auto suite = load_cases(only_this_folder(), err);
  ASSERT_TRUE(suite);
  EXPECT_TRUE(suite->scenarios.empty());
  EXPECT_EQ(err.str(), "");
}

TEST_F(LoadCases, AMissingFolderIsNamed) {
  std::ostringstream err;
  EXPECT_FALSE(load_cases({{(dir_ / "absent").string()}, true}, err));
  EXPECT_EQ(err.str(), (dir_ / "absent").string() +
                           ": not a directory (expected the cases directory with "
                           "requirements.yaml)\n");
}

TEST_F(LoadCases, ABadFileGivesItsDiagnosticAndOnlyRunsSayNothingWasRun) {
  std::ofstream(dir_ / "bad.yaml") << "section: [\n";
  std::ostringstream lint_err, run_err;
  EXPECT_FALSE(load_cases(only_this_folder(), lint_err));
  EXPECT_FALSE(load_cases(only_this_folder(), run_err, "", AfterCaseErrors::nothing_ran));
  const std::string file = (dir_ / "bad.yaml").string();
  EXPECT_EQ(lint_err.str().rfind(file + ":", 0), 0u) << lint_err.str();
  EXPECT_EQ(run_err.str(), lint_err.str() + "condspec: the case files in " + dir_.string() +
                               " have errors; nothing was run\n");
}

}  // namespace
}  // namespace condspec
