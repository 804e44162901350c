#include "reports/curl_command.h"

#include <fmt/format.h>

#include <vector>

#include "src/core/text.h"

namespace condspec {

namespace {

bool has_control_bytes(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

struct ParsedRequest {
  std::string method, version;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string content;
};

std::optional<ParsedRequest> parse_request(std::string_view bytes) {
  const auto head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return std::nullopt;
  ParsedRequest out;
  out.content = std::string(bytes.substr(head_end + 4));
  const auto lines = split(bytes.substr(0, head_end), '\n');
  if (lines.empty()) return std::nullopt;
  std::string_view first = lines.front();
  if (first.ends_with('\r')) first.remove_suffix(1);
  const auto words = split(first, ' ');
  if (words.size() != 3) return std::nullopt;
  out.method = std::string(words[0]);
  out.version = std::string(words[2]);
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.starts_with(':')) continue;  // an HTTP/2 pseudo-header: curl derives it from the URL
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    out.fields.emplace_back(std::string(line.substr(0, colon)),
                            std::string(trim(line.substr(colon + 1))));
  }
  return out;
}

}  // namespace

std::string shell_quote(std::string_view text) {
  if (!has_control_bytes(text)) {
    std::string out = "'";
    for (char c : text) {
      if (c == '\'')
        out += "'\\''";
      else
        out += c;
    }
    return out + "'";
  }
  std::string out = "$'";
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\')
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return out + "'";
}

std::optional<std::string> curl_command(const StepRecord& record, Protocol protocol) {
  const Exchange& ex = record.exchange;
  if (record.follow_up || ex.first_write_bytes > 0) return std::nullopt;
  auto request = parse_request(ex.request_bytes);
  if (!request) return std::nullopt;
  std::string version_option;
  if (protocol == Protocol::h2)
    version_option = "--http2";
  else if (protocol == Protocol::h2c)
    version_option = "--http2-prior-knowledge";
  else if (request->version == "HTTP/1.1")
    version_option = "--http1.1";
  else if (request->version == "HTTP/1.0")
    version_option = "--http1.0";
  else
    return std::nullopt;

  std::vector<std::string> words = {"curl", "-sS", "-i", version_option};
  if (request->method == "HEAD")
    words.emplace_back("--head");
  else if (request->method != "GET" || !request->content.empty())
    words.insert(words.end(), {"-X", shell_quote(request->method)});
  bool accept_sent = false;
  for (const auto& [name, value] : request->fields) {
    // curl writes these itself from the URL and the content.
    if (iequals(name, "Host") || iequals(name, "Content-Length")) continue;
    if (iequals(name, "Transfer-Encoding")) return std::nullopt;
    if (iequals(name, "Accept")) accept_sent = true;
    words.insert(words.end(), {"-H", shell_quote(name + ": " + value)});
  }
  if (!accept_sent) words.insert(words.end(), {"-H", "'Accept:'"});  // no curl default
  if (!request->content.empty())
    words.insert(words.end(), {"--data-binary", shell_quote(request->content)});
  words.push_back(shell_quote(record.url));
  return join(words, " ");
}

const StepRecord* failing_step(const ScenarioResult& result) {
  for (const auto& c : result.checks) {
    if (c.outcome == Outcome::pass) continue;
    for (const auto& record : result.exchanges)
      if (record.step == c.step && !record.follow_up && record.missed_attempt == 0) return &record;
  }
  if (result.outcome == Outcome::error)
    for (auto it = result.exchanges.rbegin(); it != result.exchanges.rend(); ++it)
      if (!it->follow_up) return &*it;
  return nullptr;
}

std::string next_step_text(const TargetResult& target, const ScenarioResult& result,
                           const std::optional<CacheRunInfo>& cache) {
  std::string out = fmt::format("next step: condspec explain {}\n", result.scenario);
  if (cache) {
    std::string_view listen = cache->origin;  // "http://127.0.0.1:8081": HOST:PORT of it
    if (listen.starts_with("http://")) listen.remove_prefix(7);
    if (listen.ends_with('/')) listen.remove_suffix(1);
    const std::string protocol = target.protocol == Protocol::http1_1
                                     ? ""
                                     : fmt::format(" --protocol {}", to_string(target.protocol));
    return out + fmt::format(
                     "reproduce: condspec cache {} --origin-listen {}{} --select {} --verbose (the "
                     "cache's upstream still {}; curl alone cannot, as condspec was the origin)\n",
                     shell_quote(target.url), listen, protocol, result.scenario, listen);
  }
  const StepRecord* step = failing_step(result);
  if (!step) return out;
  if (auto curl = curl_command(*step, target.protocol))
    return out + fmt::format("reproduce step '{}': {}\n", step->step, *curl);
  return out + fmt::format(
                   "reproduce step '{}': curl cannot send this request as it was sent; its raw "
                   "bytes are in the exchanges\n",
                   step->step);
}

}  // namespace condspec
