#pragma once
// Writes JSON text straight into a string, laid out exactly as nlohmann's
// dump(2) with invalid UTF-8 replaced (U+FFFD) lays out the same document.
// The JSON report uses it instead of building a document and dumping it:
// the document copied every request and response head once more, and its
// allocations were most of the time a run spent on its report.
//
// Usage mirrors the document: begin_object(), key("a"), value(1), ...,
// end_object(). The caller keeps the calls balanced; the writer does not
// check (it is an internal tool of the report, with tests of its output).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace condspec {

class JsonWriter {
 public:
  // `base_level`: how deep the written value sits in a larger document
  // that is dumped as one (its lines after the first are indented so).
  explicit JsonWriter(int base_level = 0);

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  // The key of the next value in the current object.
  void key(std::string_view name);

  void value(std::string_view text);
  void value(const char* text) { value(std::string_view(text)); }
  void value(const std::string& text) { value(std::string_view(text)); }
  void value(int64_t number);
  void value(int number) { value(static_cast<int64_t>(number)); }
  void value(uint64_t number);
  void value(double number);
  void value(bool flag);
  void null();
  // key(name), then the value.
  template <typename T>
  void member(std::string_view name, const T& v) {
    key(name);
    value(v);
  }

  // The text written so far. flush_to() hands it to a sink and starts
  // empty (keeping the memory), so a long document goes out piece by piece.
  const std::string& text() const { return out_; }
  template <typename Sink>
  void flush_to(const Sink& sink) {
    sink(std::string_view(out_));
    out_.clear();
  }

 private:
  void before_value();
  void open(char bracket);
  void close(char bracket);
  void newline_and_indent(size_t level);

  std::string out_;
  size_t base_level_;
  // One entry per open object or array: whether it holds a member yet.
  std::vector<bool> has_members_;
  bool after_key_ = false;
};

}  // namespace condspec
