#include "src/engine/evidence.h"

#include <utility>

namespace condspec {

void keep_only_what_reports_show(StepRecord& record) {
  record.exchange.received.shrink_to_fit();
  // A response cut short is shown by the bytes received, as any failed
  // exchange; its parsed head was only for judging.
  record.exchange.cut_short.reset();
  record.exchange.undecodable.reset();
  if (!record.exchange.response) return;
  Response& response = *record.exchange.response;
  response.content_dropped += response.content.size();
  std::string().swap(response.content);  // frees it, which clear() need not
  response.fields = Fields{};
  response.trailers = Fields{};
}

void keep_only_what_reports_show(ScenarioResult& result) {
  for (auto& record : result.exchanges) keep_only_what_reports_show(record);
  // The executor reserves room for a follow-up after every step.
  result.exchanges.shrink_to_fit();
}

}  // namespace condspec
