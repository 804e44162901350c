#pragma once
// The command line, parsed into plain values. runner/cli.cpp fills these with
// CLI11; runner/commands.cpp acts on them. Nothing here does any work.

#include <string>
#include <variant>
#include <vector>

#include "reports/report_formats.h"
#include "runner/color.h"
#include "src/engine/gate.h"
#include "src/engine/selection.h"
#include "src/http/protocol.h"

namespace condspec {

// --cases DIR (repeatable) and --no-default-cases, as every command that
// reads cases takes them (runner/cases_dir.h: cases_folders).
struct CasesOptions {
  std::vector<std::string> dirs;  // added to the shipped cases
  bool no_default = false;        // only `dirs`
};

struct RunOptions {
  CasesOptions cases;
  std::vector<std::string> urls;  // empty: the built-in reference origin
  // --protocol: judge each URL over these (runner/protocol_plan.h); empty:
  // HTTP/1.1, plus h2 for an https URL whose server offers it.
  std::vector<Protocol> protocols;
  Selection selection;
  int jobs = 6;
  // --no-shared-requests: every step sends its own request.
  bool no_shared_requests = false;
  double timeout_seconds = 10;
  std::vector<std::string> headers;  // "Name: value"
  bool insecure = false;
  std::string cacert;
  std::string unsafe_url;
  std::vector<ReportRequest> reports;
  bool verbose = false;
  bool quiet = false;
  ColorMode color = ColorMode::automatic;  // --color: of the summary on stdout
  FailOn fail_on = FailOn::must;
  std::string baseline;              // --baseline FILE: known failures
  std::vector<std::string> secrets;  // --secret VALUE: redacted everywhere
  int shard_index = 0;               // --shard K/N; 0/0: the whole run
  int shard_count = 0;
  // `condspec cache CACHE_URL --origin-listen HOST:PORT`: urls holds the
  // cache's URL; condspec listens at origin_listen as the origin behind it.
  bool cache = false;
  std::string origin_listen;
  double settle_seconds = 0.25;  // --settle
};

// `condspec baseline --from REPORT.json --output FILE`
struct BaselineOptions {
  std::string from;
  std::string output;
};

// `condspec merge A.json B.json ... --report FORMAT=PATH`
struct MergeOptions {
  std::vector<std::string> inputs;
  std::vector<ReportRequest> reports;
  CasesOptions cases;   // to order scenarios as the suite does
  std::string fail_on;  // empty: the level the shards were run with
  std::string baseline;
  bool quiet = false;
  ColorMode color = ColorMode::automatic;
};

struct ListOptions {
  CasesOptions cases;
  bool scenarios = true;
  bool requirements = true;
  bool coverage = false;  // per requirement: scenarios judging it, the fault proving them
};

struct ExplainOptions {
  CasesOptions cases;
  std::string id;
};

struct LintOptions {
  CasesOptions cases;
  // The shipped cache cases (cases/cache, `condspec cache`) in place of the
  // origin cases, so that a folder of one's own cache scenarios is checked
  // with the catalog it names.
  bool cache = false;
};

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string protocol = "http/1.1";  // or h2c, h2
  std::vector<std::string> faults;
  bool list_faults = false;
};

// `condspec serve-cache --upstream URL`: the reference cache, by hand.
struct ServeCacheOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string upstream;
  std::vector<std::string> faults;
  bool list_faults = false;
};

struct ExitNow {  // --help, --version, or a usage error already printed
  int code = 0;
};

using Command = std::variant<RunOptions, ListOptions, ExplainOptions, LintOptions, ServeOptions,
                             ServeCacheOptions, BaselineOptions, MergeOptions, ExitNow>;

}  // namespace condspec
