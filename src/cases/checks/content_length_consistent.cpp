#include "src/cases/checks/content_length_consistent.h"

#include <fmt/format.h>

#include <cstdint>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"

namespace condspec {

std::optional<ContentLengthCheck> ContentLengthCheck::read(const Entry& entry,
                                                           const StepReader& reader) {
  auto step = reader.only_step(entry);
  if (!step) return std::nullopt;
  return ContentLengthCheck{*step};
}

std::string ContentLengthCheck::describe() const {
  return fmt::format("Content-Length, if sent, equals the content length of step '{}'", step);
}

Verdict ContentLengthCheck::judge(const Response& response, const CheckInput& in) const {
  auto there = earlier_response(in, step);
  if (!there) {
    return error(fmt::format("Content-Length as in step {}", step), there.error().message);
  }
  std::uint64_t length = (*there)->content.size();
  if (auto theirs = (*there)->fields.combined("Content-Length")) {
    if (auto n = parse_content_length(*theirs)) length = *n;
  }
  std::string expected =
      fmt::format("Content-Length: {} (the content length of step {})", length, step);
  auto ours = response.fields.combined("Content-Length");
  if (!ours) {
    return pass(expected, "Content-Length absent",
                "The response has no Content-Length, so there is nothing to compare.");
  }
  std::string actual = fmt::format("Content-Length: {}", *ours);
  auto n = parse_content_length(*ours);
  if (!n) {
    return broken(expected, actual, "Content-Length is not a single non-negative integer.");
  }
  if (*n == length) return pass(expected, actual);
  return broken(expected, actual,
                fmt::format("Content-Length says {}, but the content of step '{}' is {} long.",
                            byte_count(*n), step, byte_count(length)));
}

}  // namespace condspec
