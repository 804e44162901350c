#include "src/cases/checks/content_equals.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <regex>
#include <string_view>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/cases/yaml_reading.h"

namespace condspec {
namespace {

// `range: "0-9"`: inclusive first-last byte positions, first <= last; or
// `range: "-5"`: the last 5 bytes (into `suffix`).
std::optional<std::pair<std::uint64_t, std::uint64_t>> read_range(
    const Entry& e, Diagnostics& d, std::optional<std::uint64_t>& suffix) {
  auto text = read_string(e, d);
  if (!text) return std::nullopt;
  std::smatch parts;
  std::uint64_t first = 0, last = 0;
  const std::regex shape("([0-9]{1,18})-([0-9]{1,18})");
  const std::regex suffix_shape("-([0-9]{1,18})");
  if (std::regex_match(*text, parts, suffix_shape)) {
    const std::string n = parts[1];
    std::uint64_t length = 0;
    std::from_chars(n.data(), n.data() + n.size(), length);
    if (length == 0)
      d.add(e.mark(), "'range' -0 asks for no bytes: a suffix range has a length above 0");
    else
      suffix = length;
    return std::nullopt;
  }
  if (!std::regex_match(*text, parts, shape)) {
    d.add(e.mark(),
          "'range' must be first-last byte positions such as \"0-0\", or a suffix length such "
          "as \"-5\", got '" +
              short_text(*text) + "'");
    return std::nullopt;
  }
  const std::string a = parts[1], b = parts[2];
  std::from_chars(a.data(), a.data() + a.size(), first);
  std::from_chars(b.data(), b.data() + b.size(), last);
  if (first > last) {
    d.add(e.mark(), "'range' " + *text + " ends before it starts");
    return std::nullopt;
  }
  return std::pair{first, last};
}

}  // namespace

std::optional<ContentCheck> ContentCheck::read(const Entry& entry, const StepReader& reader) {
  Diagnostics& d = reader.diagnostics();
  Mapping m(entry.value, entry.key_node.mark(), "content_equals", {"step", "range"}, d);
  if (!m.valid()) return std::nullopt;
  ContentCheck check;
  if (const Entry* step = m.require("step")) check.step = reader.step_reference(*step).value_or("");
  if (const Entry* range = m.find("range")) check.range = read_range(*range, d, check.suffix);
  return check;
}

std::string ContentCheck::describe() const {
  if (suffix)
    return fmt::format("content equals the last {} of step '{}'", byte_count(*suffix), step);
  if (range)
    return fmt::format("content equals bytes {}-{} of step '{}'", range->first, range->second,
                       step);
  return fmt::format("content equals that of step '{}'", step);
}

Verdict ContentCheck::judge(const Response& response, const CheckInput& in) const {
  constexpr size_t kShown = 64;
  auto there = earlier_response(in, step);
  if (!there) return error(fmt::format("content as in step {}", step), there.error().message);
  std::string_view want = (*there)->content;
  std::string source = fmt::format("as in step {}", step);
  std::string source_words = fmt::format("the content of step '{}'", step);
  if (range) {
    auto [first, last] = *range;
    source = fmt::format("bytes {}-{} of step {}", first, last, step);
    source_words = fmt::format("bytes {}-{} of the content of step '{}'", first, last, step);
    if (first > last || last >= want.size()) {
      return error(fmt::format("{} {}", "content", source),
                   fmt::format("The range {}-{} lies outside the {} of content of step '{}'.",
                               first, last, byte_count(want.size()), step));
    }
    want = want.substr(first, last - first + 1);
  }
  if (suffix) {
    source = fmt::format("the last {} of step {}", byte_count(*suffix), step);
    source_words =
        fmt::format("the last {} of the content of step '{}'", byte_count(*suffix), step);
    if (*suffix < want.size()) want = want.substr(want.size() - *suffix);
  }
  std::string_view got = response.content;
  std::string expected =
      fmt::format("{} ({}): {}", byte_count(want.size()), source, preview(want, kShown));
  std::string actual = fmt::format("{}: {}", byte_count(got.size()), preview(got, kShown));
  if (got == want) return pass(expected, actual);
  size_t first_difference = 0;
  while (first_difference < got.size() && first_difference < want.size() &&
         got[first_difference] == want[first_difference]) {
    ++first_difference;
  }
  return broken(expected, actual,
                fmt::format("The content differs from {} (first difference at byte {}).",
                            source_words, first_difference));
}

}  // namespace condspec
