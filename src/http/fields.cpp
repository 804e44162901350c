#include "src/http/fields.h"

#include <algorithm>
#include <utility>

#include "src/core/text.h"

namespace condspec {

void Fields::add(std::string name, std::string value) {
  lines_.push_back({std::move(name), std::move(value)});
}

void Fields::set(std::string name, std::string value) {
  remove(name);
  add(std::move(name), std::move(value));
}

void Fields::remove(std::string_view name) {
  std::erase_if(lines_, [&](const Field& f) { return iequals(f.name, name); });
}

bool Fields::has(std::string_view name) const {
  return find(name) != nullptr;
}

const std::string* Fields::find(std::string_view name) const {
  for (const auto& f : lines_) {
    if (iequals(f.name, name)) return &f.value;
  }
  return nullptr;
}

std::vector<std::string> Fields::all(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& f : lines_) {
    if (iequals(f.name, name)) values.push_back(f.value);
  }
  return values;
}

std::optional<std::string> Fields::combined(std::string_view name) const {
  std::optional<std::string> joined;
  for (const auto& f : lines_) {
    if (!iequals(f.name, name)) continue;
    if (joined) {
      *joined += ", ";
      *joined += f.value;
    } else {
      joined = f.value;
    }
  }
  return joined;
}

size_t Fields::count(std::string_view name) const {
  return static_cast<size_t>(std::count_if(lines_.begin(), lines_.end(),
                                           [&](const Field& f) { return iequals(f.name, name); }));
}

}  // namespace condspec
