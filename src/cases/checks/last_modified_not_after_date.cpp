#include "src/cases/checks/last_modified_not_after_date.h"

#include <fmt/format.h>

#include <vector>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/cases/yaml_reading.h"
#include "src/core/text.h"
#include "src/http/http_date.h"

namespace condspec {

std::optional<LastModifiedNotAfterDateCheck> LastModifiedNotAfterDateCheck::read(
    const Entry& entry, const StepReader& reader) {
  if (!read_true(entry, reader.diagnostics())) return std::nullopt;
  return LastModifiedNotAfterDateCheck{};
}

std::string LastModifiedNotAfterDateCheck::describe() const {
  return "Last-Modified is not later than Date";
}

Verdict LastModifiedNotAfterDateCheck::judge(const Response& response, const CheckInput& in) const {
  const std::string expected = "Last-Modified no later than Date";
  std::string actual = show_field(response, "Last-Modified") + "; " + show_field(response, "Date");
  auto last_modified = response.fields.combined("Last-Modified");
  auto date = response.fields.combined("Date");
  std::optional<Seconds> lm, d;
  std::vector<std::string> reasons;
  if (!last_modified) {
    reasons.push_back("the response has no Last-Modified");
  } else if (!(lm = parse_http_date(trim(*last_modified), in.now))) {
    reasons.push_back("Last-Modified is not an HTTP-date");
  }
  if (!date) {
    reasons.push_back("the response has no Date");
  } else if (!(d = parse_http_date(trim(*date), in.now))) {
    reasons.push_back("Date is not an HTTP-date");
  }
  if (!reasons.empty()) {
    return pass(expected, actual, fmt::format("Nothing to compare: {}.", join_and(reasons)));
  }
  if (*lm <= *d) return pass(expected, actual);
  auto late = (*lm - *d).count();
  return broken(expected, actual,
                fmt::format("Last-Modified is {} {} later than the Date of the same response.",
                            late, late == 1 ? "second" : "seconds"));
}

}  // namespace condspec
