#pragma once
// The command line, parsed into plain values. runner/cli.cpp fills these with
// CLI11; runner/commands.cpp acts on them. Nothing here does any work.

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "src/engine/gate.h"
#include "src/engine/selection.h"

namespace condspec {

struct ReportRequest {
  std::string format;  // json
  std::string path;
};

struct RunOptions {
  std::string cases_dir;          // empty: the cases shipped with the program
  std::vector<std::string> urls;  // empty: the built-in reference origin
  Selection selection;
  int jobs = 4;
  double timeout_seconds = 10;
  std::vector<std::string> headers;  // "Name: value"
  bool insecure = false;
  std::string cacert;
  std::string unsafe_url;
  std::vector<ReportRequest> reports;
  bool verbose = false;
  bool quiet = false;
  FailOn fail_on = FailOn::must;
};

struct ListOptions {
  std::string cases_dir;
  bool scenarios = true;
  bool requirements = true;
  bool coverage = false;  // per requirement: scenarios judging it, the fault proving them
};

struct ExplainOptions {
  std::string cases_dir;
  std::string id;
};

struct LintOptions {
  std::string cases_dir;
};

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  std::vector<std::string> faults;
  bool list_faults = false;
};

struct ExitNow {  // --help, --version, or a usage error already printed
  int code = 0;
};

using Command =
    std::variant<RunOptions, ListOptions, ExplainOptions, LintOptions, ServeOptions, ExitNow>;

}  // namespace condspec
