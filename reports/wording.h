#pragma once
// Counts and durations as every report prints them: "1 exchange" and
// "2 exchanges", and a time that always says something ("8 ms", never
// "0.00 s").

#include <chrono>
#include <string>
#include <string_view>

namespace condspec {

// "1 exchange", "0 exchanges", "12 exchanges": `noun` is the singular; the
// plural adds an s.
std::string count_of(size_t count, std::string_view noun);

// A duration with the unit that shows it: "1.24 s" from one second up,
// "310 ms" or "8.4 ms" below, "120 µs" below one millisecond.
std::string duration_text(std::chrono::microseconds duration);

}  // namespace condspec
