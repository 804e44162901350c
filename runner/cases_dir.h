#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "src/core/result.h"

namespace condspec {

// The cases folder to use: the one given, else the one shipped with the
// running program (shipped_cases_dir for /proc/self/exe).
std::string resolve_cases_dir(const std::string& given);

// The folders a command reads, in order: the shipped cases, then each
// --cases folder (users' scenarios add to the shipped ones); with
// --no-default-cases only the given folders (the first with its
// requirements.yaml). A given folder that is the shipped one is read once.
// `shipped_subfolder` names a folder inside the shipped cases to use in
// their place: "cache" for `condspec cache`, whose catalog extends the
// shipped one.
Result<std::vector<std::filesystem::path>> cases_folders(const std::vector<std::string>& given,
                                                         bool no_default_cases,
                                                         const std::string& shipped_subfolder = "");

// How diagnostics and messages name those folders: "cases, my-cases/".
std::string folders_text(const std::vector<std::filesystem::path>& folders);

// Where the program at `executable` finds the cases it ships with, first
// match wins:
//   <dir>/../share/condspec/cases   installed: `cmake --install` to any prefix,
//                                   the Debian package, a DESTDIR staging dir
//   <dir>/cases, <dir>/../cases     a program beside its cases; a build dir
//                                   inside the checkout (build/condspec)
//   source_cases                    only for the program in `build_dir`, the
//                                   build tree it was compiled in
// <dir> is the executable's folder. An installed copy never reads the source
// tree it was built from: if its cases are missing, the answer is the
// installed location, so the error names where they should be.
std::string shipped_cases_dir(const std::filesystem::path& executable,
                              const std::filesystem::path& build_dir,
                              const std::filesystem::path& source_cases);

}  // namespace condspec
