#include "src/cases/checks/date_near_now.h"

#include <fmt/format.h>

#include <cstdint>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/cases/yaml_reading.h"
#include "src/core/text.h"
#include "src/http/http_date.h"

namespace condspec {

std::optional<DateNearNowCheck> DateNearNowCheck::read(const Entry& entry,
                                                       const StepReader& reader) {
  // A whole number of seconds, at least 1 and at most a day.
  auto value = parse_integer(entry.value);
  if (!value || *value < 1 || *value > 86400) {
    reader.diagnostics().add(
        entry.mark(), "'" + entry.key + "' must be a number of seconds from 1 to 86400, got " +
                          condspec::describe(entry.value));
    return std::nullopt;
  }
  return DateNearNowCheck{*value};
}

std::string DateNearNowCheck::describe() const {
  return fmt::format("Date within {} seconds of condspec's clock", tolerance_seconds);
}

Verdict DateNearNowCheck::judge(const Response& response, const CheckInput& in) const {
  const std::string expected = fmt::format("Date within {} seconds of condspec's clock ({})",
                                           tolerance_seconds, format_imf_fixdate(in.now));
  auto date = response.fields.combined("Date");
  std::optional<Seconds> parsed;
  if (date) parsed = parse_http_date(trim(*date), in.now);
  if (!parsed) {
    return pass(expected, show_field(response, "Date"),
                "The response has no usable Date (judged by other checks), so there is nothing "
                "to compare.");
  }
  const std::int64_t off = (*parsed - in.now).count();
  const std::int64_t distance = off < 0 ? -off : off;
  std::string actual = show_field(response, "Date");
  if (distance <= tolerance_seconds) return pass(expected, actual);
  return broken(expected, actual,
                fmt::format("Date is {} seconds {} condspec's clock; the tolerance is {} seconds. "
                            "(If condspec's own clock is wrong, so is this finding.)",
                            distance, off < 0 ? "behind" : "ahead of", tolerance_seconds));
}

}  // namespace condspec
