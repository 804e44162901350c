#pragma once
// Secrets never reach a report: the values of Authorization,
// Proxy-Authorization and Cookie request fields, and any extra value the
// user names, are replaced by "[redacted]" in every recorded string before
// anything is rendered.
//
// Redaction comes before any cut. Evidence is capped below this layer (the
// wire client keeps the first 64 KiB of what it received, and of the bytes
// after a response; messages quote at most a few hundred bytes and mark the
// cut with kCutMark), so a secret may have been cut in two there. Wherever a
// cut was made, what precedes it that may be the start of a secret is
// redacted too, since what followed it is not known: at the end of evidence
// whose dropped-bytes count is not zero, and before every kCutMark.
// Everything cut after this (console and report excerpts) cuts text that is
// already redacted.

#include <string>
#include <string_view>
#include <vector>

#include "src/engine/run_result.h"

namespace condspec {

constexpr std::string_view kRedacted = "[redacted]";

// Authorization, Proxy-Authorization and Cookie (any case).
bool is_credential_field(std::string_view name);

class Redactor {
 public:
  explicit Redactor(const std::vector<std::string>& secrets);

  // `text` with every secret (as given, or as printable() shows it) replaced
  // by kRedacted, longer secrets first. At each cut (every kCutMark, and the
  // end when `cut_at_end`) a tail that is the start of a secret is replaced
  // too.
  std::string text(std::string_view text, bool cut_at_end = false) const;

  // A raw HTTP message head (request or response bytes): the values of
  // credential fields too.
  std::string message(std::string_view bytes, bool cut_at_end = false) const;

 private:
  size_t whole_secret_at(std::string_view text, size_t at) const;
  bool begins_a_secret(std::string_view tail) const;

  std::vector<std::string> forms_;  // longest first
};

// Redacts one raw HTTP message head (request or response bytes).
std::string redact_message(std::string_view bytes, const std::vector<std::string>& secrets);
void redact_run(RunResult& run, const std::vector<std::string>& secrets);

}  // namespace condspec
