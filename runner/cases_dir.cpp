#include "runner/cases_dir.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace condspec {

namespace fs = std::filesystem;

namespace {

bool holds_cases(const fs::path& dir) {
  std::error_code ec;
  return fs::exists(dir / "requirements.yaml", ec);
}

fs::path normal(const fs::path& p) {
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(p, ec);
  return ec ? p.lexically_normal() : canonical;
}

}  // namespace

std::string shipped_cases_dir(const fs::path& executable, const fs::path& build_dir,
                              const fs::path& source_cases) {
  const fs::path dir = executable.parent_path();
  const fs::path installed = dir / ".." / "share" / "condspec" / "cases";
  for (const fs::path& candidate : {installed, dir / "cases", dir / ".." / "cases"}) {
    if (holds_cases(candidate)) return normal(candidate).string();
  }
  if (!build_dir.empty() && normal(dir) == normal(build_dir) && holds_cases(source_cases))
    return source_cases.string();
  return normal(installed).string();
}

std::string resolve_cases_dir(const std::string& given) {
  if (!given.empty()) return given;
#ifdef CONDSPEC_SOURCE_CASES_DIR
  const fs::path source_cases = CONDSPEC_SOURCE_CASES_DIR;
#else
  const fs::path source_cases = "cases";
#endif
#ifdef CONDSPEC_BUILD_DIR
  const fs::path build_dir = CONDSPEC_BUILD_DIR;
#else
  const fs::path build_dir;
#endif
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  // Without /proc the program cannot tell where it is; the source tree is
  // the best remaining guess (as before this lookup existed).
  if (ec) return source_cases.string();
  return shipped_cases_dir(exe, build_dir, source_cases);
}

Result<std::vector<fs::path>> cases_folders(const std::vector<std::string>& given,
                                            bool no_default_cases,
                                            const std::string& shipped_subfolder) {
  if (no_default_cases && given.empty())
    return Error{"--no-default-cases needs at least one --cases DIR"};
  std::vector<fs::path> folders;
  auto same = [](const fs::path& a, const fs::path& b) {
    std::error_code ec;
    return fs::equivalent(a, b, ec);
  };
  if (!no_default_cases)
    folders.emplace_back(shipped_subfolder.empty()
                             ? resolve_cases_dir("")
                             : resolve_cases_dir("") + "/" + shipped_subfolder);
  for (const auto& dir : given) {
    if (std::any_of(folders.begin(), folders.end(),
                    [&](const fs::path& f) { return same(f, dir); }))
      continue;
    folders.emplace_back(dir);
  }
  return folders;
}

std::string folders_text(const std::vector<fs::path>& folders) {
  std::string out;
  for (const auto& f : folders) out += (out.empty() ? "" : ", ") + f.string();
  return out;
}

}  // namespace condspec
