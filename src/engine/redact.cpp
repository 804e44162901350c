#include "src/engine/redact.h"

#include <algorithm>

#include "src/core/text.h"
#include "src/http/message.h"

namespace condspec {

Redactor::Redactor(const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    forms_.push_back(secret);
    // Messages quote received bytes through printable(): a secret with a
    // backslash or a control byte appears there in that form.
    std::string shown = printable(secret);
    if (shown != secret) forms_.push_back(std::move(shown));
  }
  std::stable_sort(forms_.begin(), forms_.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

size_t Redactor::whole_secret_at(std::string_view text, size_t at) const {
  for (const auto& form : forms_)
    if (text.compare(at, form.size(), form) == 0) return form.size();
  return 0;
}

bool Redactor::begins_a_secret(std::string_view tail) const {
  return std::any_of(forms_.begin(), forms_.end(), [&](const std::string& form) {
    return tail.size() < form.size() && std::string_view(form).starts_with(tail);
  });
}

std::string Redactor::text(std::string_view text, bool cut_at_end) const {
  if (forms_.empty()) return std::string(text);
  const size_t longest = forms_.front().size();
  std::string out;
  out.reserve(text.size());
  size_t mark = text.find(kCutMark);
  for (size_t i = 0; i < text.size();) {
    if (mark != std::string_view::npos && mark < i) mark = text.find(kCutMark, i);
    if (const size_t length = whole_secret_at(text, i)) {
      out += kRedacted;
      i += length;
      continue;
    }
    const size_t cut = mark != std::string_view::npos ? mark
                       : cut_at_end                   ? text.size()
                                                      : std::string_view::npos;
    if (cut != std::string_view::npos && cut > i && cut - i < longest &&
        begins_a_secret(text.substr(i, cut - i))) {
      out += kRedacted;
      i = cut;
      continue;
    }
    out += text[i++];
  }
  return out;
}

bool is_credential_field(std::string_view name) {
  return iequals(name, "Authorization") || iequals(name, "Proxy-Authorization") ||
         iequals(name, "Cookie");
}

std::string Redactor::message(std::string_view bytes, bool cut_at_end) const {
  std::string out;
  out.reserve(bytes.size());
  size_t start = 0;
  while (start < bytes.size()) {
    size_t end = bytes.find('\n', start);
    end = end == std::string_view::npos ? bytes.size() : end + 1;
    std::string_view line = bytes.substr(start, end - start);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos && is_credential_field(line.substr(0, colon))) {
      std::string_view ending = line.ends_with("\r\n") ? "\r\n" : line.ends_with("\n") ? "\n" : "";
      out += line.substr(0, colon + 1);
      out += " ";
      out += kRedacted;
      out += ending;
    } else {
      out += line;
    }
    start = end;
  }
  return text(out, cut_at_end);
}

std::string redact_message(std::string_view bytes, const std::vector<std::string>& secrets) {
  return Redactor(secrets).message(bytes);
}

namespace {

void redact_exchange(StepRecord& record, const Redactor& redactor) {
  record.url = redactor.text(record.url);
  Exchange& ex = record.exchange;
  ex.request_bytes = redactor.message(ex.request_bytes);
  if (ex.response) ex.response->head = redactor.message(ex.response->head);
  ex.received = redactor.message(ex.received, ex.received_dropped > 0);
  ex.error = redactor.text(ex.error);
  if (ex.response) {
    for (auto& note : ex.response->framing_notes) note = redactor.text(note);
    ex.response->content = redactor.text(ex.response->content);
  }
  ex.stray_bytes = redactor.text(ex.stray_bytes, ex.stray_bytes_dropped > 0);
}

}  // namespace

void redact_run(RunResult& run, const std::vector<std::string>& secrets) {
  const Redactor redactor(secrets);
  for (auto& target : run.targets) {
    target.url = redactor.text(target.url);
    for (auto& record : target.discovery) redact_exchange(record, redactor);
    if (target.unusable) target.unusable = redactor.text(*target.unusable);
    for (auto& result : target.results) {
      result.reason = redactor.text(result.reason);
      for (auto& record : result.exchanges) redact_exchange(record, redactor);
      for (auto& check : result.checks) {
        check.expected = redactor.text(check.expected);
        check.actual = redactor.text(check.actual);
        check.message = redactor.text(check.message);
      }
    }
  }
}

}  // namespace condspec
