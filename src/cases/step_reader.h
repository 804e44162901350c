#pragma once
// Reading the values of one step of a scenario file: the readers the loader
// uses for a step's request and `assume`, and every check kind
// (src/cases/checks/) for its value. What they have in common is the step's
// place in its scenario: templates and `step:` may name only earlier steps.

#include <optional>
#include <string>
#include <vector>

#include "src/cases/template.h"
#include "src/cases/yaml_reading.h"

namespace condspec {

class StepReader {
 public:
  // `earlier`: the ids of the steps before this one, in order.
  StepReader(Diagnostics& d, const std::vector<std::string>& earlier) : d_(d), earlier_(earlier) {}

  Diagnostics& diagnostics() const { return d_; }

  // A template, parsed and checked against the earlier steps.
  std::optional<Template> template_of(const Entry& e) const;
  // The id of an earlier step.
  std::optional<std::string> step_reference(const Entry& e) const;
  // `{ step: s }`, the whole value of checks that compare with one earlier
  // step: nullopt when it is not a mapping; "" when `step` is missing or
  // names no earlier step (reported either way).
  std::optional<std::string> only_step(const Entry& e) const;
  // A non-empty list of field names; the valid ones (all reported problems).
  std::vector<std::string> field_names(const Entry& e) const;
  // `status: 304` or `status: [200, 304]`: codes from 100 to 599.
  std::optional<std::vector<int>> statuses(const Entry& e) const;
  // True when `name` is a field name (a token); reported at `mark` otherwise.
  bool is_field_name(const std::string& name, const YamlMark& mark) const;
  // Where the text of scalar `node` starts in the file (see template.h).
  SourceLocation text_start(const YamlNode& node) const;

 private:
  Diagnostics& d_;
  const std::vector<std::string>& earlier_;
};

}  // namespace condspec
