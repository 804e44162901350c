// `condspec serve-cache`: the reference cache for manual use, until
// interrupted.

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <ostream>
#include <set>
#include <string>
#include <thread>

#include "runner/commands.h"
#include "runner/options.h"
#include "src/engine/gate.h"
#include "src/origin/reference_cache.h"

namespace condspec {

int serve_cache_command(const ServeCacheOptions& options, std::ostream& out, std::ostream& err,
                        const std::atomic<bool>* cancel) {
  if (options.list_faults) {
    for (const auto& f : known_cache_faults())
      out << (f.breaks.empty()
                  ? fmt::format("  {:<34} changes only the handling: {}\n", f.name, f.why)
                  : fmt::format("  {:<34} breaks {}: {}\n", f.name, f.breaks, f.why));
    return kExitPassed;
  }
  ReferenceCacheOptions cache_options;
  cache_options.host = options.host;
  cache_options.port = options.port;
  cache_options.upstream = options.upstream;
  cache_options.faults = std::set<std::string>(options.faults.begin(), options.faults.end());
  auto cache = ReferenceCache::start(cache_options);
  if (!cache) {
    err << "condspec: " << cache.error().message << "\n";
    return kExitUsage;
  }
  out << fmt::format("condspec reference cache listening on {}, in front of {}\n",
                     (*cache)->base_url(), options.upstream);
  if (!options.faults.empty())
    out << fmt::format("  faults: {}\n", fmt::join(options.faults, ", "));
  out << "Press Ctrl-C to stop.\n" << std::flush;
  while (!(cancel && cancel->load())) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  (*cache)->stop();
  return kExitPassed;
}

}  // namespace condspec
