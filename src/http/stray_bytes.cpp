#include "src/http/stray_bytes.h"

#include <algorithm>

namespace condspec {
namespace {

bool is_conclusive(StrayEnd end) {
  return end == StrayEnd::status_line || end == StrayEnd::server_closed ||
         end == StrayEnd::quiet_after_close;
}

// Appends `bytes` to `kept` within the cap; returns how many did not fit.
size_t keep_within_cap(std::string& kept, std::string_view bytes) {
  size_t room = StrayBytes::kMaxKept - std::min(StrayBytes::kMaxKept, kept.size());
  size_t taken = std::min(room, bytes.size());
  kept.append(bytes.substr(0, taken));
  return bytes.size() - taken;
}

// Bytes of `text` before a possible "HTTP/" that begins at its end.
size_t before_partial_status_line(std::string_view text) {
  for (size_t keep = std::min<size_t>(4, text.size()); keep > 0; --keep) {
    if (std::string_view("HTTP/").starts_with(text.substr(text.size() - keep))) {
      return text.size() - keep;
    }
  }
  return text.size();
}

}  // namespace

void record_stray(StrayBytes& stray, std::string_view bytes, StrayEnd end) {
  stray.dropped += keep_within_cap(stray.bytes, bytes);
  if (is_conclusive(end)) stray.checked = true;
}

void attach_stray(Exchange& record, const StrayBytes& stray) {
  size_t not_kept = keep_within_cap(record.stray_bytes, stray.bytes);
  record.stray_bytes_dropped += not_kept + stray.dropped;
  if (stray.checked) record.stray_checked = true;
}

std::string_view StatusLineScanner::take(std::string_view bytes, StrayBytes& stray) {
  if (at_status_line_) {
    held_.clear();  // the view returned by the call that found the status line
    return bytes;
  }
  held_.append(bytes);
  size_t status = held_.find("HTTP/");
  const bool found = status != std::string::npos;
  size_t stray_end = found ? status : before_partial_status_line(held_);
  record_stray(stray, std::string_view(held_).substr(0, stray_end),
               found ? StrayEnd::status_line : StrayEnd::still_open);
  skipped_ += stray_end;
  held_.erase(0, stray_end);
  if (!found) return {};
  at_status_line_ = true;
  return held_;  // from the status line on
}

void StatusLineScanner::end(StrayBytes& stray, StrayEnd end) {
  record_stray(stray, at_status_line_ ? std::string_view{} : std::string_view(held_), end);
  if (!at_status_line_) held_.clear();
}

}  // namespace condspec
