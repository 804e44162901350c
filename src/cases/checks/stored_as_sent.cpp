#include "src/cases/checks/stored_as_sent.h"

#include <fmt/format.h>

#include <string_view>
#include <vector>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"

namespace condspec {
namespace {

// The content of a request as sent: what follows its header section.
std::string_view sent_content(const Exchange& exchange) {
  std::string_view bytes = exchange.request_bytes;
  auto end_of_head = bytes.find("\r\n\r\n");
  if (end_of_head == std::string_view::npos) return {};
  return bytes.substr(end_of_head + 4);
}

}  // namespace

std::optional<StoredAsSentCheck> StoredAsSentCheck::read(const Entry& entry,
                                                         const StepReader& reader) {
  auto step = reader.only_step(entry);
  if (!step) return std::nullopt;
  return StoredAsSentCheck{*step};
}

std::string StoredAsSentCheck::describe() const {
  return fmt::format("content equals what step '{}' sent, if its response carried a validator",
                     step);
}

Verdict StoredAsSentCheck::judge(const Response& response, const CheckInput& in) const {
  constexpr size_t kShown = 64;
  auto it = in.earlier.find(step);
  auto there = earlier_response(in, step);
  if (!there || it == in.earlier.end()) {
    return error(fmt::format("the content sent by step {}", step), there.error().message);
  }
  std::vector<std::string> validators;
  for (const auto* name : {"ETag", "Last-Modified"})
    if ((*there)->fields.has(name)) validators.push_back(show_field(**there, name));
  std::string_view sent = sent_content(*it->second);
  std::string_view got = response.content;
  const std::string actual = fmt::format("{}: {}", byte_count(got.size()), preview(got, kShown));
  if (validators.empty()) {
    return pass(
        fmt::format("no promise: step {} was answered without ETag or Last-Modified", step), actual,
        fmt::format("The response to step '{}' carries no validator, so it promised nothing "
                    "about how the content was stored.",
                    step));
  }
  const std::string expected =
      fmt::format("{} (sent by step {}, answered with {}): {}", byte_count(sent.size()), step,
                  join(validators, "; "), preview(sent, kShown));
  if (got == sent) return pass(expected, actual);
  size_t first_difference = 0;
  while (first_difference < got.size() && first_difference < sent.size() &&
         got[first_difference] == sent[first_difference]) {
    ++first_difference;
  }
  return broken(expected, actual,
                fmt::format("The response to step '{}' carried {}, which says the content was "
                            "stored exactly as sent, but the content now differs from what that "
                            "step sent (first difference at byte {}).",
                            step, join_and(validators), first_difference));
}

}  // namespace condspec
