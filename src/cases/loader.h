#pragma once
// Reading the case files (docs/case-format.md) into the scenario model.
//
// Every problem in a file is reported, not just the first: a failure is the
// list of diagnostics (diagnostic.h), in file order, each located (1-based
// line and column, the file name exactly as passed in) and with the line it
// points at; render() shows them. Templates are parsed and checked here, so a
// case file that loads can be run without any further syntax surprises.

#include <filesystem>
#include <string_view>
#include <vector>

#include "src/cases/diagnostic.h"
#include "src/cases/model.h"
#include "src/core/result.h"

namespace condspec {

// requirements.yaml: the catalog of requirements scenarios may name.
Loaded<std::vector<Requirement>> parse_catalog(std::string_view yaml, std::string_view file_name);

// One scenario file. Requirement ids are checked against `catalog`; `info`
// (optional) receives the file's own section and title.
Loaded<std::vector<Scenario>> parse_case_file(std::string_view yaml, std::string_view file_name,
                                              const std::vector<Requirement>& catalog,
                                              CaseFile* info);

// Bounds checked before a file is read: a case file (the catalog included)
// may have at most kMaxCaseFileBytes, all of a folder's case files together
// kMaxCasesFolderBytes.
constexpr size_t kMaxCaseFileBytes = 1024 * 1024;
constexpr size_t kMaxCasesFolderBytes = 8 * 1024 * 1024;

// `cases_dir`/requirements.yaml, then every other `cases_dir`/*.yaml sorted by
// name; files are named `<cases_dir as given>/<name>` in diagnostics. Also
// rejects a scenario id used in two files. A catalog that says `extends:
// PATH` (relative to `cases_dir`, e.g. ../requirements.yaml for the cache
// cases) adds its rows to that catalog's, which come first; the suite's
// scenarios may name the rows of both. A directory or file that cannot be
// read is a diagnostic about it as a whole (line 0): a case file that is not
// a regular file (a FIFO, a device, a directory, a dangling symlink; a
// symlink to a regular file is read), one over kMaxCaseFileBytes, and a
// folder over kMaxCasesFolderBytes are refused before anything is read.
Loaded<Suite> load_suite(const std::filesystem::path& cases_dir);

// Several folders as one suite, in order: the first one's requirements.yaml
// is required; each further folder may have a requirements.yaml adding
// requirements of its own (an id already in the catalog is an error), and
// its scenarios may name any requirement of the combined catalog. Scenario
// ids are unique across all folders.
Loaded<Suite> load_suite(const std::vector<std::filesystem::path>& cases_dirs);

}  // namespace condspec
