#include "runner/cases_dir.h"

#include <filesystem>
#include <system_error>

namespace condspec {

std::string resolve_cases_dir(const std::string& given) {
  if (!given.empty()) return given;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path dir = exe.parent_path();
    for (const fs::path& candidate :
         {dir / "cases", dir / ".." / "cases", dir / ".." / "share" / "condspec" / "cases"}) {
      if (fs::exists(candidate / "requirements.yaml", ec))
        return fs::weakly_canonical(candidate, ec).string();
    }
  }
#ifdef CONDSPEC_SOURCE_CASES_DIR
  return CONDSPEC_SOURCE_CASES_DIR;
#else
  return "cases";
#endif
}

}  // namespace condspec
