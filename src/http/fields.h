#pragma once
// An ordered list of header (or trailer) field lines, exactly as received or
// to be sent. Repeated names are kept as separate lines; lookups are
// case-insensitive (RFC 9110 5.1) and `combined` joins repeated lines with
// ", " the way RFC 9110 5.3 says a recipient may.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace condspec {

struct Field {
  std::string name;
  std::string value;
  bool operator==(const Field&) const = default;
};

class Fields {
 public:
  Fields() = default;
  Fields(std::initializer_list<Field> fields) : lines_(fields) {}

  void add(std::string name, std::string value);
  // Removes every line with this name, then adds one.
  void set(std::string name, std::string value);
  void remove(std::string_view name);

  bool has(std::string_view name) const;
  // The first line's value, if any.
  const std::string* find(std::string_view name) const;
  std::vector<std::string> all(std::string_view name) const;
  // All lines with this name joined by ", "; nullopt if there are none.
  std::optional<std::string> combined(std::string_view name) const;
  size_t count(std::string_view name) const;

  const std::vector<Field>& lines() const { return lines_; }
  bool empty() const { return lines_.empty(); }
  size_t size() const { return lines_.size(); }
  auto begin() const { return lines_.begin(); }
  auto end() const { return lines_.end(); }
  bool operator==(const Fields&) const = default;

 private:
  std::vector<Field> lines_;
};

}  // namespace condspec
