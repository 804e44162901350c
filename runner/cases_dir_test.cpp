// Where the program finds its shipped cases: installed to any prefix, in a
// build tree inside or outside the checkout, and never the source tree from
// an installed copy.

#include "runner/cases_dir.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

namespace condspec {
namespace {

namespace fs = std::filesystem;

// A scratch folder for one test, removed afterwards.
class CasesDir : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "condspec-cases-dir-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = fs::canonical(pattern);
  }
  void TearDown() override { fs::remove_all(root_); }

  // A folder that holds a requirements.yaml, as a cases folder does.
  fs::path make_cases(const fs::path& relative) {
    fs::create_directories(root_ / relative);
    std::ofstream(root_ / relative / "requirements.yaml") << "requirements: []\n";
    return root_ / relative;
  }
  std::string shipped(const fs::path& exe_relative, const fs::path& build_dir = {},
                      const fs::path& source_cases = {}) {
    // The program's folder exists, as a real one does: `..` is resolved
    // through it.
    fs::create_directories((root_ / exe_relative).parent_path());
    return shipped_cases_dir(root_ / exe_relative, build_dir, source_cases);
  }

  fs::path root_;
};

TEST_F(CasesDir, InstalledUnderAnyPrefix) {
  const auto usr = make_cases("usr/share/condspec/cases");
  EXPECT_EQ(shipped("usr/bin/condspec"), usr.string());
  const auto opt = make_cases("opt/condspec/share/condspec/cases");
  EXPECT_EQ(shipped("opt/condspec/bin/condspec"), opt.string());
  // DESTDIR staging: the same layout under another root.
  const auto staged = make_cases("stage/usr/share/condspec/cases");
  EXPECT_EQ(shipped("stage/usr/bin/condspec"), staged.string());
}

TEST_F(CasesDir, InstalledCopyPrefersItsOwnCasesToTheSourceTree) {
  const auto source = make_cases("checkout/cases");
  const auto installed = make_cases("prefix/share/condspec/cases");
  EXPECT_EQ(shipped("prefix/bin/condspec", root_ / "checkout/build", source), installed.string());
}

TEST_F(CasesDir, BuildDirInsideTheCheckoutUsesTheCheckoutsCases) {
  const auto source = make_cases("checkout/cases");
  EXPECT_EQ(shipped("checkout/build/condspec"), source.string());
  EXPECT_EQ(shipped("checkout/build-asan/condspec"), source.string());
}

TEST_F(CasesDir, BuildDirElsewhereUsesTheSourceTreeItWasBuiltFrom) {
  const auto source = make_cases("checkout/cases");
  EXPECT_EQ(shipped("scratch/condspec", root_ / "scratch", source), source.string());
}

TEST_F(CasesDir, CopyWithoutCasesNamesWhereTheyShouldBeNotTheSourceTree) {
  const auto source = make_cases("checkout/cases");
  EXPECT_EQ(shipped("elsewhere/bin/condspec", root_ / "checkout/build", source),
            (root_ / "elsewhere/share/condspec/cases").string());
}

TEST_F(CasesDir, ProgramBesideItsCases) {
  const auto beside = make_cases("unpacked/cases");
  EXPECT_EQ(shipped("unpacked/condspec"), beside.string());
}

TEST(CasesDirGiven, GivenFolderWinsUnchanged) {
  EXPECT_EQ(resolve_cases_dir("my-cases/"), "my-cases/");
}

}  // namespace
}  // namespace condspec
