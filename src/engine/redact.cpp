#include "src/engine/redact.h"

#include "src/core/text.h"
#include "src/http/message.h"

namespace condspec {

namespace {

void replace_all(std::string& text, std::string_view secret) {
  if (secret.empty()) return;
  for (size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + kRedacted.size())) {
    text.replace(at, secret.size(), kRedacted);
  }
}

void redact_exchange(Exchange& ex, const std::vector<std::string>& secrets) {
  ex.request_bytes = redact_message(ex.request_bytes, secrets);
  if (ex.response) ex.response->head = redact_message(ex.response->head, secrets);
  ex.received = redact_message(ex.received, secrets);
  for (const auto& s : secrets) replace_all(ex.error, s);
  if (ex.response)
    for (auto& note : ex.response->framing_notes)
      for (const auto& s : secrets) replace_all(note, s);
  for (const auto& s : secrets) replace_all(ex.stray_bytes, s);
  if (ex.response) {
    for (const auto& s : secrets) replace_all(ex.response->content, s);
  }
}

}  // namespace

bool is_credential_field(std::string_view name) {
  return iequals(name, "Authorization") || iequals(name, "Proxy-Authorization") ||
         iequals(name, "Cookie");
}

std::string redact_message(std::string_view bytes, const std::vector<std::string>& secrets) {
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
  for (const auto& s : secrets) replace_all(out, s);
  return out;
}

void redact_run(RunResult& run, const std::vector<std::string>& secrets) {
  for (auto& target : run.targets) {
    for (auto& record : target.discovery) redact_exchange(record.exchange, secrets);
    if (target.unusable)
      for (const auto& s : secrets) replace_all(*target.unusable, s);
    for (auto& result : target.results) {
      for (const auto& s : secrets) replace_all(result.reason, s);
      for (auto& record : result.exchanges) redact_exchange(record.exchange, secrets);
      for (auto& check : result.checks) {
        for (const auto& s : secrets) {
          replace_all(check.expected, s);
          replace_all(check.actual, s);
          replace_all(check.message, s);
        }
      }
    }
  }
}

}  // namespace condspec
