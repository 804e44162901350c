#include "runner/cli.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "reports/report_formats.h"
#include "runner/version.h"
#include "src/engine/gate.h"
#include "src/engine/selection.h"

namespace condspec {

namespace {

// A repeatable option that takes exactly one value each time it is given,
// so that `--select 13.1 URL` does not take the URL as a second pattern.
CLI::Option* add_repeatable(CLI::App* command, const std::string& name,
                            std::vector<std::string>& values, const std::string& help) {
  return command->add_option(name, values, help)
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
}

void add_cases_option(CLI::App* app, CasesOptions& cases) {
  add_repeatable(app, "--cases", cases.dirs,
                 "A folder of your own case files, added to the cases shipped with condspec; "
                 "its scenarios may name the shipped requirements and those of its own "
                 "requirements.yaml (repeatable)")
      ->type_name("DIR");
  app->add_flag("--no-default-cases", cases.no_default,
                "Use only the --cases folders, not the shipped cases (the first folder needs a "
                "requirements.yaml)");
}

void add_color_option(CLI::App* command, std::string& mode) {
  command
      ->add_option("--color", mode,
                   "Colour the summary on standard output: auto (when it is a terminal and "
                   "NO_COLOR is not set), always, never")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

// FORMAT=PATH with a known format; usage errors are printed to `err`.
bool parse_reports(const std::vector<std::string>& texts, std::vector<ReportRequest>& reports,
                   std::ostream& err) {
  for (const auto& r : texts) {
    const auto eq = r.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == r.size()) {
      err << fmt::format("condspec: --report '{}': expected FORMAT=PATH, e.g. json=report.json\n",
                         r);
      return false;
    }
    ReportRequest request{r.substr(0, eq), r.substr(eq + 1)};
    if (!is_report_format(request.format)) {
      err << fmt::format("condspec: --report {}: unknown format '{}' (supported: {})\n", r,
                         request.format, supported_report_formats());
      return false;
    }
    reports.push_back(std::move(request));
  }
  return true;
}

// The texts of `run`'s options that are checked after parsing.
struct RunTexts {
  std::string fail_on{to_string(FailOn::must)};
  std::vector<std::string> reports;
  std::vector<std::string> protocols;
  std::string shard;
  std::string color = "auto";
};

// The options `run` and `cache` share. `cache` runs have no --unsafe-url:
// their scenarios send only GET and HEAD to resources of their own.
void add_run_options(CLI::App* cmd, RunOptions& run, RunTexts& texts,
                     const std::vector<std::string>& fail_on_levels, const std::string& report_help,
                     bool cache) {
  add_cases_option(cmd, run.cases);
  add_repeatable(cmd, "--select", run.selection.select,
                 "Run only scenarios matching: a scenario id, a tag, or a section prefix "
                 "such as 13.1 (repeatable)")
      ->type_name("PATTERN");
  add_repeatable(cmd, "--skip", run.selection.skip,
                 "Skip scenarios matching a scenario id, tag or section prefix (repeatable)")
      ->type_name("PATTERN");
  cmd->add_option("--jobs,-j", run.jobs,
                  "Scenarios run at once, and the most connections open to one origin")
      ->capture_default_str()
      ->check(CLI::Range(1, 64));
  if (!cache)
    cmd->add_flag("--no-shared-requests", run.no_shared_requests,
                  "Send every step's own request: by default a GET or HEAD identical to one "
                  "already sent for the same URL is sent once, and its exchange shown in each "
                  "scenario that uses it");
  cmd->add_option("--timeout", run.timeout_seconds,
                  "Total time allowed for one exchange (connect, send, receive), in seconds")
      ->capture_default_str()
      ->check(CLI::Range(0.05, 600.0));
  add_repeatable(cmd, "--header,-H", run.headers,
                 "Extra request field 'Name: value' sent with every request, e.g. "
                 "credentials (repeatable); a User-Agent given here replaces the default "
                 "condspec/VERSION");
  add_repeatable(cmd, "--protocol", texts.protocols,
                 "Judge each URL over this protocol: http/1.1, h2 (HTTP/2 over TLS, for https "
                 "URLs) or h2c (HTTP/2 over cleartext, for http URLs); repeatable. Default: "
                 "http/1.1, plus h2 for an https URL whose server offers it")
      ->check(CLI::IsMember({"http/1.1", "h2", "h2c"}));
  cmd->add_flag("--insecure,-k", run.insecure, "Do not verify TLS certificates");
  cmd->add_option("--cacert", run.cacert, "Trust the CA certificates in this PEM file")
      ->check(CLI::ExistingFile);
  if (!cache)
    cmd->add_option("--unsafe-url", run.unsafe_url,
                    "A writable URL: condspec may create, replace and delete it with PUT and "
                    "DELETE. Without it, scenarios with unsafe methods are not applicable");
  add_repeatable(cmd, "--report", texts.reports, report_help)->type_name("FORMAT=PATH");
  cmd->add_option("--baseline", run.baseline,
                  "Known failures (YAML or JSON, see `condspec baseline`): reported as known, "
                  "they do not fail the gate")
      ->type_name("FILE")
      ->check(CLI::ExistingFile);
  add_repeatable(cmd, "--secret", run.secrets,
                 "A value to redact from every report and from the console (repeatable)")
      ->type_name("VALUE");
  cmd->add_option("--shard", texts.shard,
                  "Run only shard K of N: a deterministic slice of the (URL, protocol, "
                  "scenario) runs; combine the shards' JSON reports with `condspec merge`")
      ->type_name("K/N");
  cmd->add_option("--fail-on", texts.fail_on,
                  "Gate level: must (a MUST broken fails), should (a SHOULD too), never")
      ->capture_default_str()
      ->check(CLI::IsMember(fail_on_levels));
  cmd->add_flag("--verbose,-v", run.verbose,
                "Print the exchanges of every scenario that did not pass, and name each "
                "not-applicable scenario");
  cmd->add_flag("--quiet,-q", run.quiet, "Print only the final summary lines");
  add_color_option(cmd, texts.color);
}

// Checks and converts what add_run_options read; usage errors go to `err`.
bool finish_run_options(RunOptions& run, const RunTexts& texts, std::ostream& err) {
  run.fail_on = fail_on_from(texts.fail_on).value_or(FailOn::must);
  run.color = *color_mode_from(texts.color);
  if (!parse_reports(texts.reports, run.reports, err)) return false;
  for (const auto& name : texts.protocols) run.protocols.push_back(*parse_protocol(name));
  if (!texts.shard.empty()) {
    int k = 0, n = 0;
    char slash = 0, extra = 0;
    if (std::sscanf(texts.shard.c_str(), "%d%c%d%c", &k, &slash, &n, &extra) != 3 || slash != '/' ||
        n < 1 || k < 1 || k > n) {
      err << fmt::format("condspec: --shard '{}': expected K/N with 1 <= K <= N, e.g. 2/4\n",
                         texts.shard);
      return false;
    }
    run.shard_index = k;
    run.shard_count = n;
  }
  for (const auto& secret : run.secrets) {
    if (secret.empty()) {
      err << "condspec: --secret: the value must not be empty\n";
      return false;
    }
  }
  return true;
}

}  // namespace

// Long on purpose: one block of option declarations per subcommand, which
// CLI11 needs alive until the parse is done.
Command parse_command_line(int argc, const char* const* argv, std::ostream& out,
                           std::ostream& err) {
  CLI::App app{
      "condspec: a conformance test suite for HTTP conditional requests (RFC 9110 §8.8, §13, "
      "§15.4.5, §15.5.13; RFC 9112 §6.3; over HTTP/2, RFC 9113 §8.1.1, §8.2.2; caches, RFC 9111 "
      "§4)",
      "condspec"};
  app.set_version_flag("--version", "condspec " + std::string(condspec_version()));
  app.require_subcommand(1);
  app.footer(fmt::format(
      "Exit codes of `run`: {} gate passed, {} gate failed, {} usage or case-file error, "
      "{} target unusable or a scenario ended in error.\nRun `condspec COMMAND --help` for a "
      "command's options.",
      kExitPassed, kExitGateFailed, kExitUsage, kExitUnjudged));

  std::vector<std::string> fail_on_levels;
  for (FailOn level : kFailOnLevels) fail_on_levels.emplace_back(to_string(level));

  const std::string report_help = fmt::format(
      "Write a report: FORMAT=PATH, FORMAT is one of {} (repeatable)", supported_report_formats());

  RunOptions run;
  RunTexts run_texts;
  auto* run_cmd = app.add_subcommand(
      "run",
      "Test one or more URLs (or, with none, the built-in reference origin) and report what "
      "conforms");
  run_cmd->add_option("urls", run.urls,
                      "http:// or https:// URLs of resources that answer 200 to GET; only safe "
                      "methods (GET, HEAD) are sent to them");
  add_run_options(run_cmd, run, run_texts, fail_on_levels, report_help, false);

  RunOptions cache;
  RunTexts cache_texts;
  std::string cache_url;
  auto* cache_cmd = app.add_subcommand(
      "cache",
      "Test a cache or CDN: condspec is the origin behind it (--origin-listen) and its client, "
      "and judges both hops (RFC 9111 4, RFC 9110 13)");
  cache_cmd
      ->add_option("cache_url", cache_url,
                   "http:// or https:// URL of the cache; each scenario asks it for its own "
                   "path under this URL's folder")
      ->required();
  cache_cmd
      ->add_option("--origin-listen", cache.origin_listen,
                   "HOST:PORT where condspec listens as the origin; configure the cache with "
                   "this address as its upstream (backend)")
      ->type_name("HOST:PORT")
      ->required();
  cache_cmd
      ->add_option("--settle", cache.settle_seconds,
                   "After each response, how long to wait for requests the cache sends the "
                   "origin late (a background revalidation), in seconds")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 2.0));
  add_run_options(cache_cmd, cache, cache_texts, fail_on_levels, report_help, true);

  ListOptions list;
  bool only_scenarios = false, only_requirements = false;
  auto* list_cmd =
      app.add_subcommand("list", "List scenarios and requirements (no network access)");
  add_cases_option(list_cmd, list.cases);
  list_cmd->add_flag("--scenarios", only_scenarios, "Only scenarios");
  list_cmd->add_flag("--requirements", only_requirements, "Only requirements");
  list_cmd->add_flag("--coverage", list.coverage,
                     "Per requirement: level, section, the scenarios that judge it and the "
                     "reference-origin fault that proves they can fail; then totals; then the same "
                     "for the cache catalog and the reference cache's faults");

  ExplainOptions explain;
  auto* explain_cmd = app.add_subcommand(
      "explain", "Explain a scenario or requirement: what is sent, what is expected, and why");
  add_cases_option(explain_cmd, explain.cases);
  explain_cmd->add_option("id", explain.id, "A scenario id or requirement id")->required();

  LintOptions lint;
  auto* lint_cmd = app.add_subcommand("lint", "Check case files for errors (no network access)");
  add_cases_option(lint_cmd, lint.cases);
  lint_cmd->add_flag("--cache", lint.cache,
                     "Check the shipped cache cases (those of `condspec cache`) instead of the "
                     "origin cases, with any --cases folder of cache scenarios");

  ServeOptions serve;
  auto* serve_cmd = app.add_subcommand(
      "serve", "Run the built-in reference origin, which meets every requirement, for manual use");
  serve_cmd->add_option("--port", serve.port, "Port on 127.0.0.1 (0: any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  serve_cmd
      ->add_option("--protocol", serve.protocol,
                   "Serve http/1.1, h2c (HTTP/2 over cleartext TCP with prior knowledge) or h2 "
                   "(HTTP/2 over TLS with a self-signed certificate it makes and names)")
      ->capture_default_str()
      ->check(CLI::IsMember({"http/1.1", "h2c", "h2"}));
  add_repeatable(serve_cmd, "--fault", serve.faults,
                 "Break one requirement on purpose, to see how condspec reports it "
                 "(repeatable; --list-faults shows them)");
  serve_cmd->add_flag("--list-faults", serve.list_faults, "List the faults --fault accepts");

  ServeCacheOptions serve_cache;
  auto* serve_cache_cmd = app.add_subcommand(
      "serve-cache",
      "Run the built-in reference cache in front of an origin, for manual use and to see how "
      "`condspec cache` reports a faulty cache");
  serve_cache_cmd->add_option("--port", serve_cache.port, "Port on 127.0.0.1 (0: any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  serve_cache_cmd->add_option("--upstream", serve_cache.upstream,
                              "http:// URL of the origin, e.g. the --origin-listen address of "
                              "`condspec cache`");
  add_repeatable(serve_cache_cmd, "--fault", serve_cache.faults,
                 "Break one cache requirement on purpose (repeatable; --list-faults shows them)");
  serve_cache_cmd->add_flag("--list-faults", serve_cache.list_faults,
                            "List the faults --fault accepts");

  BaselineOptions baseline;
  auto* baseline_cmd = app.add_subcommand(
      "baseline",
      "Write a baseline file of known failures from a JSON report: every broken requirement, "
      "each with a placeholder reason you must replace");
  baseline_cmd->add_option("--from", baseline.from, "A JSON report of `condspec run`")
      ->type_name("REPORT.json")
      ->required()
      ->check(CLI::ExistingFile);
  baseline_cmd->add_option("--output,-o", baseline.output, "The baseline file to write")
      ->type_name("FILE")
      ->required();

  MergeOptions merge;
  std::vector<std::string> merge_reports;
  auto* merge_cmd = app.add_subcommand(
      "merge", "Combine the JSON reports of shards (--shard K/N) into one run and report it");
  merge_cmd->add_option("reports", merge.inputs, "JSON reports of `condspec run`")
      ->required()
      ->check(CLI::ExistingFile);
  add_repeatable(merge_cmd, "--report", merge_reports, report_help)->type_name("FORMAT=PATH");
  add_cases_option(merge_cmd, merge.cases);
  merge_cmd
      ->add_option("--fail-on", merge.fail_on,
                   "Gate level (default: the one the shards were run with)")
      ->check(CLI::IsMember(fail_on_levels));
  merge_cmd->add_option("--baseline", merge.baseline, "Known failures, as for `condspec run`")
      ->type_name("FILE")
      ->check(CLI::ExistingFile);
  merge_cmd->add_flag("--quiet,-q", merge.quiet, "Print only the final summary lines");
  std::string merge_color = "auto";
  add_color_option(merge_cmd, merge_color);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return ExitNow{app.exit(e, out, err) == 0 ? 0 : kExitUsage};
  }

  if (*run_cmd) {
    if (!finish_run_options(run, run_texts, err)) return ExitNow{kExitUsage};
    return run;
  }
  if (*cache_cmd) {
    if (!finish_run_options(cache, cache_texts, err)) return ExitNow{kExitUsage};
    cache.urls = {cache_url};
    cache.cache = true;
    return cache;
  }
  if (*baseline_cmd) return baseline;
  if (*merge_cmd) {
    if (!parse_reports(merge_reports, merge.reports, err)) return ExitNow{kExitUsage};
    merge.color = *color_mode_from(merge_color);
    return merge;
  }
  if (*list_cmd) {
    if (only_scenarios || only_requirements) {
      list.scenarios = only_scenarios;
      list.requirements = only_requirements;
    }
    return list;
  }
  if (*explain_cmd) return explain;
  if (*lint_cmd) return lint;
  if (*serve_cache_cmd) {
    if (serve_cache.upstream.empty() && !serve_cache.list_faults) {
      err << "condspec serve-cache: --upstream URL is required\n";
      return ExitNow{kExitUsage};
    }
    return serve_cache;
  }
  return serve;
}

}  // namespace condspec
