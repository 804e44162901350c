#pragma once
// Facts: what a target offers, learned before any scenario runs (see
// engine/discovery). A scenario lists the facts it `needs`; when one is
// missing it is not_applicable, with the fact's reason.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace condspec {

struct FactInfo {
  std::string_view name;
  std::string_view meaning;         // for docs and `explain`
  std::string_view missing_reason;  // shown as the not_applicable reason
  // A more basic fact this one cannot hold without: when both are missing,
  // the basic one is the reason given.
  std::string_view builds_on = {};
};

// Every fact name a case file may use in `needs`, in documentation order.
const std::vector<FactInfo>& known_facts();
const FactInfo* find_fact(std::string_view name);

using Facts = std::set<std::string, std::less<>>;

}  // namespace condspec
