// `condspec run`: load the cases, check every option before sending anything,
// test each URL (or the built-in reference origin), print and write reports,
// and return the CI exit code.

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "reports/atomic_file.h"
#include "reports/console_report.h"
#include "reports/report_formats.h"
#include "reports/report_text.h"
#include "runner/baseline.h"
#include "runner/cases_dir.h"
#include "runner/color.h"
#include "runner/commands.h"
#include "runner/load_cases.h"
#include "runner/options.h"
#include "runner/protocol_plan.h"
#include "runner/version.h"
#include "src/cases/loader.h"
#include "src/cases/model.h"
#include "src/core/clock.h"
#include "src/core/result.h"
#include "src/core/suggest.h"
#include "src/core/text.h"
#include "src/engine/gate.h"
#include "src/engine/outcome.h"
#include "src/engine/redact.h"
#include "src/engine/run.h"
#include "src/engine/run_result.h"
#include "src/engine/selection.h"
#include "src/engine/shard.h"
#include "src/engine/target.h"
#include "src/http/alpn_probe.h"
#include "src/http/connection.h"
#include "src/http/fields.h"
#include "src/http/transport.h"
#include "src/http/url.h"
#include "src/origin/instrumented_origin.h"
#include "src/origin/reference_origin.h"

namespace condspec {

namespace {

// Fields the scenarios themselves decide (preconditions, ranges) or that
// the wire client frames: sent with every request they would turn each
// baseline GET into a conditional one, or break the framing being judged.
bool scenario_owned(std::string_view name) {
  for (std::string_view owned :
       {"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "If-Range",
        "Range", "Host", "Content-Length", "Transfer-Encoding", "Connection", "TE"})
    if (iequals(name, owned)) return true;
  return false;
}

Result<Fields> parse_headers(const std::vector<std::string>& lines) {
  Fields fields;
  for (const auto& line : lines) {
    const auto colon = line.find(':');
    const std::string name = colon == std::string::npos ? "" : line.substr(0, colon);
    if (!is_token(name)) {
      return Error{
          fmt::format("--header '{}': expected 'Name: value' with a valid field name", line)};
    }
    if (scenario_owned(name)) {
      return Error{fmt::format(
          "--header '{}': {} is set by the scenarios (or the connection) and cannot be sent with "
          "every request",
          line, name)};
    }
    const std::string value(trim(std::string_view(line).substr(colon + 1)));
    if (value.find_first_of("\r\n") != std::string::npos)
      return Error{fmt::format("--header '{}': the value must not contain CR or LF", name)};
    fields.add(name, value);
  }
  return fields;
}

// Every value the user handed us in a credential field is a secret too, even
// when it ends up somewhere else (e.g. echoed by a server).
std::vector<std::string> secrets_from(const Fields& extra) {
  std::vector<std::string> secrets;
  for (const auto& f : extra) {
    if (is_credential_field(f.name)) secrets.push_back(f.value);
  }
  return secrets;
}

// The run's targets: each URL over each protocol (runner/protocol_plan.h).
// Without --protocol, an https URL is judged over h2 too when its server
// offers h2 in ALPN; unless quiet, a line says which way the probe went.
Result<std::vector<TargetConfig>> plan_targets(const std::vector<Url>& urls,
                                               const std::optional<Url>& unsafe,
                                               const Fields& extra, const ClientOptions& client,
                                               const RunOptions& options,
                                               const std::vector<std::string>& secrets,
                                               std::ostream& out) {
  std::vector<TargetConfig> per_url;
  for (const auto& url : urls) per_url.push_back({url, unsafe, extra, client});
  std::map<std::string, std::optional<std::string>> probed;  // origin -> chosen, or failed
  OffersH2 offers_h2 = [&](const Url& url) {
    auto chosen = negotiate_alpn(url, client, {"h2", "http/1.1"});
    probed[url.origin()] = chosen ? std::optional<std::string>(*chosen) : std::nullopt;
    return chosen && *chosen == "h2";
  };
  auto planned = plan_protocols(per_url, options.protocols, offers_h2);
  if (!planned || options.quiet) return planned;
  // A URL may carry a secret (--secret), like the progress lines.
  auto say = [&](const std::string& line) {
    out << terminal_safe(redact_message(line, secrets)) << "\n";
  };
  for (const auto& url : urls) {
    auto it = probed.find(url.origin());
    if (it == probed.end() || !it->second) continue;  // not probed, or unreachable: discovery says
    const bool both = std::count_if(planned->begin(), planned->end(),
                                    [&](const TargetConfig& t) { return t.url == url; }) > 1;
    if (both)
      say(fmt::format("{}: the server offers h2 in ALPN, so it is judged over http/1.1 and h2.",
                      url.str()));
    else if (*it->second == "h2")
      say(fmt::format(
          "{}: the server offers h2 in ALPN but the --unsafe-url's does not, so it is judged over "
          "http/1.1 only.",
          url.str()));
    else
      say(fmt::format(
          "{}: the server does not offer h2 in ALPN, so it is judged over http/1.1 only.",
          url.str()));
  }
  return planned;
}

// --origin-listen HOST:PORT, or [IPv6]:PORT.
Result<InstrumentedOriginOptions> parse_origin_listen(const std::string& text) {
  const auto colon = text.rfind(':');
  std::string host = colon == std::string::npos ? "" : text.substr(0, colon);
  const std::string port_text = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  int port = -1;
  if (!port_text.empty() && port_text.size() <= 5 &&
      port_text.find_first_not_of("0123456789") == std::string::npos)
    port = std::stoi(port_text);
  if (host.empty() || port < 0 || port > 65535)
    return Error{fmt::format(
        "--origin-listen '{}': expected HOST:PORT, e.g. 127.0.0.1:8081 or 0.0.0.0:8081", text)};
  InstrumentedOriginOptions options;
  options.host = host;
  options.port = port;
  return options;
}

// The path segment of a protocol's resources at the origin, so that one
// cache judged over two protocols stores each protocol's responses apart.
std::string cache_scope(Protocol protocol) {
  switch (protocol) {
    case Protocol::h2:
      return "h2/";
    case Protocol::h2c:
      return "h2c/";
    case Protocol::http1_1:
      break;
  }
  return "h1/";
}

// A step of `run` that stops the command: the exit code, its reason
// already written to err.
struct Stop {
  int code;
};
template <typename T>
using OrStop = std::variant<T, Stop>;

// The scenarios a run reads: a cache run reads the cache cases
// (cases/cache), which extend the catalog of the origin cases.
// The fields sent with every request: the --header ones, and a User-Agent.
std::optional<Fields> fields_for_every_request(const std::vector<std::string>& headers,
                                               std::ostream& err) {
  auto extra = parse_headers(headers);
  if (!extra) {
    err << "condspec: " << extra.error().message << "\n";
    return std::nullopt;
  }
  // CDNs and web application firewalls often refuse requests that name no
  // client; -H 'User-Agent: ...' replaces this one.
  if (!extra->has("User-Agent"))
    extra->add("User-Agent", fmt::format("condspec/{}", condspec_version()));
  return std::move(*extra);
}

// False (with a suggestion written to err) when a pattern names nothing.
bool every_pattern_matches(const Suite& suite, const Selection& selection, std::ostream& err) {
  for (const auto& pattern : unmatched_patterns(suite, selection)) {
    std::vector<std::string> names;  // what a pattern can name
    for (const auto& s : suite.scenarios) {
      names.push_back(s.id);
      names.push_back(s.section);
      names.insert(names.end(), s.tags.begin(), s.tags.end());
    }
    const auto close = closest_names(pattern, names);
    err << fmt::format(
        "condspec: '{}' matches no scenario id, tag or section{} (see `condspec "
        "list`)\n",
        pattern, close.empty() ? "" : "; did you mean " + did_you_mean(close) + "?");
    return false;
  }
  return true;
}

// False when --cacert names a file that cannot be used; a warning when
// --insecure makes it pointless.
bool ca_file_usable(const RunOptions& options, std::ostream& err) {
  if (options.cacert.empty()) return true;
  if (options.insecure) {
    err << "condspec: warning: --cacert is ignored: --insecure verifies no certificate\n";
  } else if (auto usable = check_ca_file(options.cacert); !usable) {
    err << "condspec: --cacert " << options.cacert << ": " << usable.error().message << "\n";
    return false;
  }
  return true;
}

ClientOptions client_options(const RunOptions& options, const Cancellation* cancel) {
  ClientOptions client;
  client.deadline = std::chrono::milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000));
  client.connect_timeout = std::min(client.deadline, std::chrono::milliseconds{5000});
  client.verify_tls = !options.insecure;
  client.ca_file = options.cacert;
  client.cancel = cancel;
  return client;
}

Result<std::optional<Url>> parse_unsafe_url(const std::string& text) {
  if (text.empty()) return std::optional<Url>{};
  auto parsed = parse_url(text);
  if (!parsed) return Error{"--unsafe-url: " + parsed.error().message};
  return std::optional<Url>(*parsed);
}

// A cache run listens as the origin behind the cache before anything is
// sent; any other run has no such origin (nullptr).
OrStop<std::unique_ptr<InstrumentedOrigin>> start_cache_origin(const RunOptions& options,
                                                               std::ostream& out,
                                                               std::ostream& err) {
  if (!options.cache) return std::unique_ptr<InstrumentedOrigin>{};
  auto listen = parse_origin_listen(options.origin_listen);
  if (!listen) {
    err << "condspec: " << listen.error().message << "\n";
    return Stop{kExitUsage};
  }
  auto started = InstrumentedOrigin::start(*listen);
  if (!started) {
    err << fmt::format("condspec: cannot listen as the origin at {}: {}\n", options.origin_listen,
                       started.error().message);
    return Stop{kExitUnjudged};
  }
  // Flushed: whoever watches the run (a pipe, a script checking what a
  // hosted CDN reaches) sees the address and prefix while the run lasts.
  if (!options.quiet)
    out << fmt::format(
               "Listening as the origin behind the cache at {}; this run's resources are under {} "
               "(anything else there answers 404).\n",
               (*started)->base_url(), (*started)->prefix())
        << std::flush;
  return std::move(*started);
}

// What is tested: the URLs given, with the writable one; or, without URLs,
// the resources of the built-in reference origin, started here.
struct UrlsUnderTest {
  std::unique_ptr<ReferenceOrigin> origin;  // null when URLs were given
  std::vector<Url> urls;
  std::optional<Url> unsafe;
};

OrStop<UrlsUnderTest> start_reference_origin(const Clock& clock, bool quiet, std::ostream& out,
                                             std::ostream& err) {
  auto started = ReferenceOrigin::start(OriginOptions{&clock, {}, "127.0.0.1", 0});
  if (!started) {
    err << "condspec: cannot start the built-in reference origin: " << started.error().message
        << "\n";
    return Stop{kExitUnjudged};
  }
  UrlsUnderTest tested;
  tested.origin = std::move(*started);
  const std::string base = tested.origin->base_url();
  for (const char* path : {"/strong", "/weak", "/plain", "/dated", "/generated"})
    tested.urls.push_back(*parse_url(base + path));
  // The writable resource of our own origin is safe to change.
  tested.unsafe = *parse_url(base + "/writable");
  if (!quiet)
    out << fmt::format(
        "No URL given: testing the built-in reference origin at {} (/strong, /weak, /plain, "
        "/dated, /generated; unsafe scenarios use /writable).\n",
        base);
  return tested;
}

OrStop<UrlsUnderTest> urls_under_test(const RunOptions& options, std::optional<Url> unsafe,
                                      const Clock& clock, std::ostream& out, std::ostream& err) {
  if (options.urls.empty() && unsafe) {
    err << "condspec: --unsafe-url needs at least one URL under test; without URLs condspec tests "
           "its built-in reference origin and uses that origin's writable resource\n";
    return Stop{kExitUsage};
  }
  if (options.urls.empty()) return start_reference_origin(clock, options.quiet, out, err);
  UrlsUnderTest tested;
  tested.unsafe = std::move(unsafe);
  for (const auto& text : options.urls) {
    auto parsed = parse_url(text);
    if (!parsed) {
      err << "condspec: " << parsed.error().message << "\n";
      return Stop{kExitUsage};
    }
    if (tested.unsafe && *tested.unsafe == *parsed) {
      err << fmt::format(
          "condspec: --unsafe-url {} is also a URL under test; condspec never sends unsafe "
          "methods to a URL under test, so give a separate writable URL\n",
          text);
      return Stop{kExitUsage};
    }
    tested.urls.push_back(*parsed);
  }
  return tested;
}

// The run's targets, each judged behind the cache in a cache run, and how
// the scenarios are chosen and shared out.
Result<RunPlan> plan_run(const UrlsUnderTest& tested, const Fields& extra,
                         const ClientOptions& client, const RunOptions& options,
                         const std::vector<std::string>& secrets, InstrumentedOrigin* cache_origin,
                         std::ostream& out) {
  auto targets = plan_targets(tested.urls, tested.unsafe, extra, client, options, secrets, out);
  if (!targets) return targets.error();
  RunPlan plan;
  plan.targets = std::move(*targets);
  if (cache_origin) {
    for (auto& target : plan.targets)
      target.cache = CacheTarget{
          cache_origin, cache_scope(target.client.protocol),
          std::chrono::milliseconds(static_cast<int64_t>(options.settle_seconds * 1000))};
  }
  plan.selection = options.selection;
  plan.jobs = options.jobs;
  plan.share_requests = !options.no_shared_requests;
  plan.cancel = client.cancel;
  plan.shard_index = options.shard_index;
  plan.shard_count = options.shard_count;
  return plan;
}

// How many scenarios this shard of the run judges.
size_t scenario_count(const Suite& suite, const RunPlan& plan) {
  size_t total = 0;
  for (const auto& s : suite.scenarios)
    if (is_selected(s, plan.selection)) ++total;
  total *= plan.targets.size();
  return shard_size(total, plan.shard_index, plan.shard_count);
}

// What stderr shows while the run goes: a counter on a terminal; one plain
// line per finished scenario when it is not one (a CI log), so a long or
// stuck run shows where it is; nothing when quiet.
class Progress {
 public:
  Progress(bool quiet, size_t total, const std::vector<std::string>& secrets, std::ostream& err)
      : live_(!quiet && isatty(STDERR_FILENO)),
        quiet_(quiet),
        total_(total),
        secrets_(secrets),
        err_(err) {}

  decltype(RunPlan::on_result) on_result() {
    if (live_) {
      return [this](const TargetResult&, const ScenarioResult& r) {
        err_ << fmt::format("\r\x1b[K[{}/{}] {}", ++finished_, total_, terminal_safe(r.scenario))
             << std::flush;
      };
    }
    if (quiet_) return {};
    // The URL may carry a secret.
    return [this](const TargetResult& target, const ScenarioResult& r) {
      std::string line = fmt::format("[{}/{}] {} {} {}", ++finished_, total_, to_string(r.outcome),
                                     r.scenario, target_label(target));
      err_ << terminal_safe(redact_message(line, secrets_)) << "\n" << std::flush;
    };
  }

  // Clears the counter's line once the run is over.
  void end() {
    if (live_) err_ << "\r\x1b[K" << std::flush;
  }

 private:
  const bool live_;
  const bool quiet_;
  const size_t total_;
  size_t finished_ = 0;
  const std::vector<std::string>& secrets_;
  std::ostream& err_;
};

}  // namespace

std::string console_summary(const RunResult& run, FailOn fail_on, const ConsoleOptions& console,
                            bool quiet) {
  std::string text = render_console_report(run, fail_on, console);
  if (!quiet) return text;
  // The last line is the gate verdict; keep the totals line, and what the
  // baseline says about itself, before it.
  std::string tail;
  for (auto line : split(text, '\n'))
    if (line.find(" scenario run") != std::string_view::npos || line.starts_with("gate ") ||
        line.starts_with("not judged") || line.starts_with("baseline entry "))
      tail += std::string(line) + "\n";
  return tail;
}

std::string today(const Clock& clock) {
  const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(clock.now())};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(day.year()),
                     static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
}

bool reports_can_be_written(const std::vector<ReportRequest>& reports, std::ostream& err) {
  bool ok = true;
  for (const auto& r : reports) {
    if (auto target = output_target(r.path); !target) {
      err << "condspec: " << target.error().message << "\n";
      ok = false;
    }
  }
  return ok;
}

int finish_reports(const RunResult& run, FailOn fail_on, const std::vector<ReportRequest>& reports,
                   std::ostream& err) {
  int code = exit_code(run, fail_on);
  for (const auto& r : reports) {
    auto written = write_report(r, run, fail_on);
    if (!written) {
      err << "condspec: " << written.error().message << "\n";
      code = kExitUsage;
    }
  }
  return code;
}

int run_command(const RunOptions& options, std::ostream& out, std::ostream& err,
                const Cancellation* cancel) {
  auto suite =
      load_cases(options.cases, err, options.cache ? "cache" : "", AfterCaseErrors::nothing_ran);
  if (!suite) return kExitUsage;

  // Check every option before sending a single request.
  auto loaded_baseline = load_baseline_if_given(options.baseline);
  if (!loaded_baseline) {
    err << baseline_errors(loaded_baseline.error());
    return kExitUsage;
  }
  const std::optional<Baseline>& baseline = *loaded_baseline;
  auto extra = fields_for_every_request(options.headers, err);
  if (!extra) return kExitUsage;
  if (!reports_can_be_written(options.reports, err)) return kExitUsage;
  if (!every_pattern_matches(*suite, options.selection, err)) return kExitUsage;
  if (!ca_file_usable(options, err)) return kExitUsage;
  const ClientOptions client = client_options(options, cancel);
  auto unsafe = parse_unsafe_url(options.unsafe_url);
  if (!unsafe) {
    err << "condspec: " << unsafe.error().message << "\n";
    return kExitUsage;
  }

  SystemClock clock;
  auto cache_started = start_cache_origin(options, out, err);
  if (auto* stop = std::get_if<Stop>(&cache_started)) return stop->code;
  auto cache_origin = std::move(std::get<std::unique_ptr<InstrumentedOrigin>>(cache_started));
  auto tested = urls_under_test(options, std::move(*unsafe), clock, out, err);
  if (auto* stop = std::get_if<Stop>(&tested)) return stop->code;

  std::vector<std::string> secrets = secrets_from(*extra);
  secrets.insert(secrets.end(), options.secrets.begin(), options.secrets.end());
  auto plan = plan_run(std::get<UrlsUnderTest>(tested), *extra, client, options, secrets,
                       cache_origin.get(), out);
  if (!plan) {
    err << "condspec: " << terminal_safe(redact_message(plan.error().message, secrets)) << "\n";
    return kExitUsage;
  }
  Progress progress(options.quiet, scenario_count(*suite, *plan), secrets, err);
  plan->on_result = progress.on_result();

  RunResult run = run_suite(*suite, *plan, clock);
  run.tool_version = condspec_version();
  if (cache_origin) {
    run.cache = CacheRunInfo{cache_origin->base_url(), cache_origin->prefix()};
    cache_origin->stop();  // the origin serves nothing once the run is over
  }
  progress.end();
  redact_run(run, secrets);
  if (baseline) apply_baseline(run, *baseline, today(clock));
  if (!run.complete && !options.quiet)
    err << "condspec: interrupted: reporting the scenarios that finished\n";

  // `out` is the program's stdout: colour is decided for it, not for stderr.
  const bool color = use_color_for(options.color, STDOUT_FILENO);
  out << console_summary(run, options.fail_on, {options.verbose, color}, options.quiet);
  out.flush();  // before a report that goes to the same descriptor (/dev/stdout)
  return finish_reports(run, options.fail_on, options.reports, err);
}

}  // namespace condspec
