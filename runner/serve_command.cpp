// `condspec serve`: the reference origin for manual use, until interrupted.

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <string>
#include <thread>

#include "runner/commands.h"
#include "runner/options.h"
#include "src/core/clock.h"
#include "src/core/result.h"
#include "src/engine/gate.h"
#include "src/origin/reference_origin.h"

namespace condspec {

int serve_command(const ServeOptions& options, std::ostream& out, std::ostream& err,
                  const std::atomic<bool>* cancel) {
  if (options.list_faults) {
    for (const auto& f : known_faults()) {
      out << fmt::format("  {:<28} breaks {}: {}", f.name, f.requirement, f.description);
      if (!f.also_breaks.empty())
        out << fmt::format(" ({} also {})", f.also_breaks_where, f.also_breaks);
      out << "\n";
    }
    return kExitPassed;
  }
  SystemClock clock;
  OriginOptions origin_options{
      &clock, std::set<std::string>(options.faults.begin(), options.faults.end()), options.host,
      options.port, parse_protocol(options.protocol).value_or(Protocol::http1_1)};
  auto origin = ReferenceOrigin::start(origin_options);
  if (!origin) {
    err << "condspec: " << origin.error().message << "\n";
    return kExitUsage;
  }
  // Over h2 the client must trust the certificate the origin made: it is
  // written where the user can name it to --cacert, and removed at the end.
  std::string certificate_file;
  if (origin_options.protocol == Protocol::h2) {
    certificate_file = (std::filesystem::temp_directory_path() /
                        fmt::format("condspec-origin-{}-{}.pem", ::getpid(), (*origin)->port()))
                           .string();
    std::ofstream(certificate_file) << (*origin)->certificate_pem();
  }
  const std::string base = (*origin)->base_url();
  out << fmt::format("condspec reference origin listening on {}\n", base);
  out << fmt::format(
      "  {}/strong    strong ETag, Last-Modified, byte ranges, a gzip variant (Accept-Encoding)\n",
      base);
  out << fmt::format("  {}/weak      weak ETag, Last-Modified, byte ranges\n", base);
  out << fmt::format("  {}/plain     no validators\n", base);
  out << fmt::format("  {}/dated     Last-Modified and byte ranges, no ETag\n", base);
  out << fmt::format(
      "  {}/generated content generated per request, with a strong ETag computed from it\n", base);
  out << fmt::format("  {}/writable  PUT and DELETE allowed (for --unsafe-url)\n", base);
  if (origin_options.protocol == Protocol::h2c)
    out << "  over h2c (HTTP/2 with prior knowledge): judge it with --protocol h2c\n";
  if (origin_options.protocol == Protocol::h2)
    out << fmt::format(
        "  over h2 (HTTP/2 over TLS), self-signed: judge it with --protocol h2 --cacert {}\n",
        certificate_file);
  if (!options.faults.empty())
    out << fmt::format("  faults: {}\n", fmt::join(options.faults, ", "));
  out << "Press Ctrl-C to stop.\n" << std::flush;
  while (!(cancel && cancel->load())) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  (*origin)->stop();
  if (!certificate_file.empty()) std::filesystem::remove(certificate_file);
  return kExitPassed;
}

}  // namespace condspec
