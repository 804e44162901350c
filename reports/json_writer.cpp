#include "reports/json_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

namespace condspec {

namespace {

constexpr size_t kIndentPerLevel = 2;

// What a byte of ASCII text becomes in a JSON string, as nlohmann's
// serializer writes it: the two-letter escapes where JSON has one, \u00xx
// (lower-case hex) for the other control characters; 0 for a byte that
// stays as it is (DEL and '/' too). Bytes from 0x80 on are not ASCII.
struct AsciiEscapes {
  char text[0x80][7] = {};
  constexpr AsciiEscapes() {
    constexpr char hex[] = "0123456789abcdef";
    for (int c = 0; c < 0x20; ++c) {
      const char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf], 0};
      for (int i = 0; i < 7; ++i) text[c][i] = u[i];
    }
    for (auto [c, letter] : {std::pair{'\b', 'b'},
                             {'\t', 't'},
                             {'\n', 'n'},
                             {'\f', 'f'},
                             {'\r', 'r'},
                             {'"', '"'},
                             {'\\', '\\'}}) {
      text[static_cast<int>(c)][0] = '\\';
      text[static_cast<int>(c)][1] = letter;
      text[static_cast<int>(c)][2] = 0;
    }
  }
};
constexpr AsciiEscapes kEscapes;

// Appends `text` as a JSON string when it is ASCII; false (and nothing
// appended) when it is not. One pass: most report strings are field
// sections, ASCII with an escape every few dozen bytes.
bool append_if_ascii(std::string& out, std::string_view text) {
  const size_t start = out.size();
  out += '"';
  size_t plain_from = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      out.resize(start);
      return false;
    }
    const char* escape = kEscapes.text[c];
    if (escape[0] == 0) continue;
    out.append(text.data() + plain_from, i - plain_from);
    out.append(escape);
    plain_from = i + 1;
  }
  out.append(text.data() + plain_from, text.size() - plain_from);
  out += '"';
  return true;
}

void append_string(std::string& out, std::string_view text) {
  if (append_if_ascii(out, text)) return;
  // Text beyond ASCII is rare in a report (a server's odd bytes, a
  // typographic dash); nlohmann's own serializer decides how it reads,
  // invalid UTF-8 included, so that no second decoder has to agree with it.
  out += nlohmann::ordered_json(std::string(text))
             .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

JsonWriter::JsonWriter(int base_level)
    : base_level_(static_cast<size_t>(std::max(0, base_level))) {}

void JsonWriter::newline_and_indent(size_t level) {
  out_ += '\n';
  out_.append((base_level_ + level) * kIndentPerLevel, ' ');
}

// Where a value goes: after its key in an object, or as the next element
// of an array (a comma after the one before, then its own line).
void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_members_.empty()) return;
  if (has_members_.back()) out_ += ',';
  has_members_.back() = true;
  newline_and_indent(has_members_.size());
}

void JsonWriter::key(std::string_view name) {
  if (has_members_.back()) out_ += ',';
  has_members_.back() = true;
  newline_and_indent(has_members_.size());
  append_string(out_, name);
  out_ += ": ";
  after_key_ = true;
}

void JsonWriter::open(char bracket) {
  before_value();
  out_ += bracket;
  has_members_.push_back(false);
}

// An empty object or array closes on its own line's end, as "{}" or "[]".
void JsonWriter::close(char bracket) {
  const bool had_members = has_members_.back();
  has_members_.pop_back();
  if (had_members) newline_and_indent(has_members_.size());
  out_ += bracket;
}

void JsonWriter::begin_object() {
  open('{');
}
void JsonWriter::end_object() {
  close('}');
}
void JsonWriter::begin_array() {
  open('[');
}
void JsonWriter::end_array() {
  close(']');
}

void JsonWriter::value(std::string_view text) {
  before_value();
  append_string(out_, text);
}

void JsonWriter::value(int64_t number) {
  before_value();
  fmt::format_to(std::back_inserter(out_), "{}", number);
}

void JsonWriter::value(uint64_t number) {
  before_value();
  fmt::format_to(std::back_inserter(out_), "{}", number);
}

// nlohmann writes the shortest text that reads back as the same double,
// with ".0" on whole numbers and "null" for what JSON cannot hold; its own
// serializer keeps the two reports' numbers the same to the last digit.
void JsonWriter::value(double number) {
  before_value();
  out_ += nlohmann::ordered_json(number).dump();
}

void JsonWriter::value(bool flag) {
  before_value();
  out_ += flag ? "true" : "false";
}

void JsonWriter::null() {
  before_value();
  out_ += "null";
}

}  // namespace condspec
