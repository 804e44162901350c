#include "src/cases/checks/status.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"

namespace condspec {

std::optional<StatusCheck> StatusCheck::read(const Entry& entry, const StepReader& reader) {
  auto statuses = reader.statuses(entry);
  if (!statuses) return std::nullopt;
  return StatusCheck{std::move(*statuses)};
}

std::string StatusCheck::describe() const {
  if (allowed.size() == 1) return fmt::format("status is {}", allowed[0]);
  return fmt::format("status is one of {}", fmt::join(allowed, ", "));
}

Verdict StatusCheck::judge(const Response& response, const CheckInput& in) const {
  const Exchange& exchange = in.exchange;
  std::vector<std::string> listed;
  for (int s : allowed) listed.push_back(std::to_string(s));
  if (listed.empty()) return error("a status", "The status check lists no allowed status.");
  std::string expected = allowed.size() == 1   ? "status " + listed[0]
                         : allowed.size() == 2 ? "status " + one_of(listed)
                                               : one_of(listed);
  std::string actual = fmt::format("status {}", response.status);
  bool ok = std::find(allowed.begin(), allowed.end(), response.status) != allowed.end();
  if (ok) return pass(expected, actual);
  std::string message =
      fmt::format("The server answered {} where {} was expected.", response.status, one_of(listed));
  if (exchange.answered_before_request_end) {
    // A split request (split_before): say what the server had when it answered.
    message += fmt::format(
        " It answered after the first {} of the request, before the rest of the header section "
        "was sent.",
        byte_count(exchange.first_write_bytes));
  }
  return broken(expected, actual, message);
}

}  // namespace condspec
