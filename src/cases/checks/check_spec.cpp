#include "src/cases/checks/check_spec.h"

#include <fmt/format.h>

#include <concepts>
#include <type_traits>

#include "src/cases/checks/evidence.h"
#include "src/cases/step_reader.h"
#include "src/cases/yaml_reading.h"

namespace condspec {
namespace {

// What kind.h asks of every kind. Listing CheckSpec's alternatives as
// CheckKind parameters below makes a kind that lacks a part fail to compile
// with the part named.
template <class K>
concept CheckKind = requires(const K& check, const Entry& entry, const StepReader& reader) {
  { K::key } -> std::convertible_to<std::string_view>;
  { K::read(entry, reader) } -> std::same_as<std::optional<K>>;
  { check.describe() } -> std::same_as<std::string>;
}
&&(
    requires(const K& check, const Response& response, const CheckInput& in) {
      { check.judge(response, in) } -> std::same_as<Verdict>;
    } ||
    requires(const K& check, const CheckInput& in) {
      { check.judge(in) } -> std::same_as<Verdict>;
    });

template <CheckKind... Kinds>
constexpr bool every_alternative_is_a_kind(const std::variant<Kinds...>*) {
  return true;
}
static_assert(every_alternative_is_a_kind(static_cast<const CheckSpec*>(nullptr)));

constexpr bool keys_are_unique() {
  for (size_t i = 0; i < kCheckKeys.size(); ++i)
    for (size_t j = i + 1; j < kCheckKeys.size(); ++j)
      if (kCheckKeys[i] == kCheckKeys[j]) return false;
  return true;
}
static_assert(keys_are_unique(), "two check kinds have the same key");

template <size_t I = 0>
std::optional<CheckSpec> read_kind(const Entry& entry, const StepReader& reader) {
  if constexpr (I == std::variant_size_v<CheckSpec>) {
    return std::nullopt;  // not a check key: the loader admits only kCheckKeys
  } else {
    using Kind = std::variant_alternative_t<I, CheckSpec>;
    if (entry.key != Kind::key) return read_kind<I + 1>(entry, reader);
    auto check = Kind::read(entry, reader);
    if (!check) return std::nullopt;
    return CheckSpec(std::in_place_index<I>, std::move(*check));
  }
}

Verdict no_response(const CheckInput& in) {
  const Exchange& exchange = in.exchange;
  return error("a response",
               exchange.error.empty()
                   ? fmt::format("Step '{}' got no response, so it cannot be judged.", in.step)
                   : fmt::format("Step '{}' got no response ({}), so it cannot be judged.", in.step,
                                 exchange.error));
}

// A response cut short (Exchange::cut_short): a kind that judges only the
// head (it declares `head_only = true`) judges it as usual; one that judges
// the framing may say what the truncation means for it (judge_cut_short);
// any other kind judges the content, which did not all arrive, so it cannot
// be judged. A kind that declares nothing is never judged on a part of the
// content: no pass can come from bytes that are missing.
template <class Kind>
Verdict judge_cut_short(const Kind& kind, const Response& head, const CheckInput& in) {
  if constexpr (requires { kind.judge_cut_short(head, in); }) {
    return kind.judge_cut_short(head, in);
  } else if constexpr (requires { Kind::head_only; }) {
    return kind.judge(head, in);
  } else {
    return cut_short_content(in);
  }
}

// A response whose chunks are not chunks (Exchange::undecodable), judged as
// one cut short: the head by the kinds of the head alone, the framing by a
// kind that declares judge_undecodable, and nothing else, since the content
// could not be decoded.
template <class Kind>
Verdict judge_undecodable(const Kind& kind, const Response& head, const CheckInput& in) {
  if constexpr (requires { kind.judge_undecodable(head, in); }) {
    return kind.judge_undecodable(head, in);
  } else if constexpr (requires { Kind::head_only; }) {
    return kind.judge(head, in);
  } else {
    return undecodable_content(in);
  }
}

}  // namespace

std::optional<CheckSpec> read_check(const Entry& entry, const StepReader& reader) {
  return read_kind(entry, reader);
}

std::string describe(const CheckSpec& check) {
  return std::visit([](const auto& kind) { return kind.describe(); }, check);
}

bool judges_upstream(const CheckSpec& check) {
  return std::visit(
      [](const auto& kind) {
        if constexpr (requires { std::remove_cvref_t<decltype(kind)>::upstream; })
          return std::remove_cvref_t<decltype(kind)>::upstream;
        else
          return false;
      },
      check);
}

bool judges_bytes_after_response(const CheckSpec& check) {
  return std::holds_alternative<NoContentCheck>(check) ||
         std::holds_alternative<ContentLengthExactCheck>(check);
}

Verdict judge(const CheckSpec& check, const CheckInput& in) {
  return std::visit(
      [&](const auto& kind) -> Verdict {
        if constexpr (requires { kind.judge(in); }) {
          return kind.judge(in);  // judged even without a response
        } else {
          if (!in.exchange.response && in.exchange.cut_short)
            return judge_cut_short(kind, *in.exchange.cut_short, in);
          if (!in.exchange.response && in.exchange.undecodable)
            return judge_undecodable(kind, *in.exchange.undecodable, in);
          if (!in.exchange.response) return no_response(in);
          return kind.judge(*in.exchange.response, in);
        }
      },
      check);
}

}  // namespace condspec
