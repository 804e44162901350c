#include "src/cases/checks/evidence.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "src/core/text.h"

namespace condspec {

Verdict pass(std::string expected, std::string actual, std::string message) {
  return {Verdict::Kind::pass, std::move(expected), std::move(actual), std::move(message)};
}
Verdict broken(std::string expected, std::string actual, std::string message) {
  return {Verdict::Kind::broken, std::move(expected), std::move(actual), std::move(message)};
}
Verdict error(std::string expected, std::string message) {
  return {Verdict::Kind::error, std::move(expected), "", std::move(message)};
}

std::string join_and(const std::vector<std::string>& parts) {
  if (parts.size() <= 1) return join(parts, "");
  std::vector<std::string> head(parts.begin(), parts.end() - 1);
  return join(head, ", ") + " and " + parts.back();
}

std::string one_of(const std::vector<std::string>& parts) {
  if (parts.size() == 1) return parts[0];
  if (parts.size() == 2) return parts[0] + " or " + parts[1];
  return "one of " + join(parts, ", ");
}

std::string byte_count(std::uint64_t n) {
  return fmt::format("{} {}", n, n == 1 ? "byte" : "bytes");
}

std::string preview(std::string_view bytes, size_t limit) {
  return printable_prefix(bytes, limit);
}

namespace {

std::string method_of(const Exchange& exchange) {
  const auto& bytes = exchange.request_bytes;
  return bytes.substr(0, std::min(bytes.find(' '), bytes.size()));
}

}  // namespace

Verdict cut_short_content(const CheckInput& in) {
  return {Verdict::Kind::error, "the whole content", in.exchange.error,
          fmt::format("Step '{}' got a response cut short ({}), so its content cannot be judged.",
                      in.step, in.exchange.error)};
}

Verdict undecodable_content(const CheckInput& in) {
  return {Verdict::Kind::error, "the whole content", in.exchange.error,
          fmt::format("Step '{}' got a response whose chunked content cannot be decoded ({}), so "
                      "its content cannot be judged.",
                      in.step, in.exchange.error)};
}

std::string subject(const Exchange& exchange) {
  // A response cut short, or whose chunks are not chunks, still has the
  // status its head gave.
  const Response& response = exchange.response    ? *exchange.response
                             : exchange.cut_short ? *exchange.cut_short
                                                  : *exchange.undecodable;
  std::string s = fmt::format("The {} response", response.status);
  if (method_of(exchange) == "HEAD") s += " to HEAD";
  return s;
}

std::string show_field(const Response& response, const std::string& name) {
  auto value = response.fields.combined(name);
  return value ? fmt::format("{}: {}", name, *value) : fmt::format("{} absent", name);
}

std::string collapse_whitespace(std::string_view value) {
  std::string out;
  bool in_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      in_space = true;
      continue;
    }
    if (in_space && !out.empty()) out += ' ';
    in_space = false;
    out += c;
  }
  return out;
}

Result<const Response*> earlier_response(const CheckInput& in, const std::string& step) {
  auto it = in.earlier.find(step);
  if (it == in.earlier.end() || it->second == nullptr) {
    return Error{fmt::format(
        "Step '{}' is not an earlier step of this scenario, so there is nothing to compare with.",
        step)};
  }
  if (!it->second->response) {
    return Error{
        fmt::format("Step '{}' got no response, so there is nothing to compare with.", step)};
  }
  return &*it->second->response;
}

Result<std::string> template_text(const Template& t, const CheckInput& in) {
  if (t.is_literal()) {
    if (t.pieces.empty()) return t.source;
    std::string text;
    for (const auto& piece : t.pieces) text += piece.literal;
    return text;
  }
  if (in.render == nullptr) return Error{"no earlier responses are available to render it"};
  return render(t, *in.render);
}

std::optional<std::uint64_t> parse_content_length(std::string_view value) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc{} || end != value.data() + value.size()) return std::nullopt;
  return n;
}

}  // namespace condspec
