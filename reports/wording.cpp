#include "reports/wording.h"

#include <fmt/format.h>

namespace condspec {

std::string count_of(size_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

std::string duration_text(std::chrono::microseconds duration) {
  const auto us = duration.count();
  if (us >= 999'500)
    return  // 999.5 ms and up would round to "1000 ms"
        fmt::format("{:.2f} s", static_cast<double>(us) / 1e6);
  if (us >= 10'000) return fmt::format("{} ms", (us + 500) / 1000);
  if (us >= 1'000) return fmt::format("{:.1f} ms", static_cast<double>(us) / 1e3);
  return fmt::format("{} µs", us);
}

}  // namespace condspec
