#include "reports/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

namespace condspec {
namespace {

using nlohmann::ordered_json;

// Writes `j` through the writer, call by call, as the report writes its
// documents.
void write(JsonWriter& w, const ordered_json& j) {
  switch (j.type()) {
    case ordered_json::value_t::object:
      w.begin_object();
      for (const auto& [name, member] : j.items()) {
        w.key(name);
        write(w, member);
      }
      w.end_object();
      break;
    case ordered_json::value_t::array:
      w.begin_array();
      for (const auto& element : j) write(w, element);
      w.end_array();
      break;
    case ordered_json::value_t::string:
      w.value(j.get_ref<const std::string&>());
      break;
    case ordered_json::value_t::number_integer:
      w.value(j.get<int64_t>());
      break;
    case ordered_json::value_t::number_unsigned:
      w.value(j.get<uint64_t>());
      break;
    case ordered_json::value_t::number_float:
      w.value(j.get<double>());
      break;
    case ordered_json::value_t::boolean:
      w.value(j.get<bool>());
      break;
    default:
      w.null();
  }
}

std::string written(const ordered_json& j, int base_level = 0) {
  JsonWriter w(base_level);
  write(w, j);
  return w.text();
}

std::string dumped(const ordered_json& j) {
  return j.dump(2, ' ', false, ordered_json::error_handler_t::replace);
}

TEST(JsonWriter, LaysOutDocumentsAsNlohmannDumpsThem) {
  const ordered_json documents[] = {
      ordered_json::object(),
      ordered_json::array(),
      "text",
      42,
      nullptr,
      ordered_json::parse(R"({"a": 1, "b": [], "c": {}, "d": [1, [2, []], {"e": null}],
                              "f": {"g": {"h": [true, false]}}, "z": "last"})"),
      ordered_json::parse(R"([[], {}, [[]], [{}], {"a": []}])"),
  };
  for (const auto& j : documents) EXPECT_EQ(written(j), dumped(j)) << dumped(j);
}

TEST(JsonWriter, EscapesEveryByteAsNlohmannDoes) {
  for (int c = 0; c < 256; ++c) {
    const std::string one(1, static_cast<char>(c));
    const ordered_json j = {{"byte", one}, {one, "as a key"}};
    EXPECT_EQ(written(j), dumped(j)) << "byte " << c;
  }
  // The exact text of the escapes, not only agreement with nlohmann.
  JsonWriter w;
  w.value(std::string_view("a\"b\\c/d\r\n\x01\x1f\x7f"));
  EXPECT_EQ(w.text(), R"("a\"b\\c/d\r\n\u0001\u001f)"
                      "\x7f\"");
}

TEST(JsonWriter, ReplacesInvalidUtf8AsNlohmannDoes) {
  for (const std::string& text : {
           std::string("caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80"),  // valid: é, —, an emoji
           std::string("\x80"),                                       // a lone continuation
           std::string("ab\xc3"),                                     // cut short at the end
           std::string("\xc0\xaf"),                                   // overlong '/'
           std::string("\xed\xa0\x80"),                               // a surrogate
           std::string("\xf4\x90\x80\x80"),                           // beyond U+10FFFF
           std::string("ok\xff\r\n\xfe\"tail"),
       }) {
    const ordered_json j = {{"text", text}};
    EXPECT_EQ(written(j), dumped(j));
  }
}

TEST(JsonWriter, WritesNumbersAsNlohmannDoes) {
  for (double d : {0.0, -0.0, 1.0, 0.5, 0.001, 0.123, 12.345, 1e-7, 1e21, 308.25, 123456789.125,
                   std::numeric_limits<double>::infinity(), std::nan("")}) {
    const ordered_json j = {{"d", d}};
    EXPECT_EQ(written(j), dumped(j)) << d;
  }
  for (int64_t i : {int64_t{0}, int64_t{-1}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max()}) {
    const ordered_json j = {{"i", i}};
    EXPECT_EQ(written(j), dumped(j)) << i;
  }
  const ordered_json big = {{"u", std::numeric_limits<uint64_t>::max()}};
  EXPECT_EQ(written(big), dumped(big));
}

// A value written `base_level` deep reads as it would inside a document
// dumped as one: every line after the first indented by that many levels.
TEST(JsonWriter, BaseLevelIndentsAsWhenNested) {
  const ordered_json inner = ordered_json::parse(R"({"a": [1, {"b": []}], "c": {}})");
  const ordered_json outer = {{"x", {{"y", inner}}}};
  const std::string whole = dumped(outer);
  const std::string inner_text = written(inner, 2);
  EXPECT_NE(whole.find("\"y\": " + inner_text + "\n"), std::string::npos) << inner_text;
}

TEST(JsonWriter, FlushHandsOverTheTextSoFarAndStartsEmpty) {
  JsonWriter w;
  std::string sunk;
  const auto sink = [&](std::string_view piece) { sunk += std::string(piece) + "|"; };
  w.begin_array();
  w.value(1);
  w.flush_to(sink);
  EXPECT_EQ(w.text(), "");
  w.value(2);
  w.end_array();
  w.flush_to(sink);
  EXPECT_EQ(sunk, "[\n  1|,\n  2\n]|");
}

}  // namespace
}  // namespace condspec
