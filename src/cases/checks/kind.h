#pragma once
// A check kind is everything condspec knows about one key of an expectation,
// in one place: a header and a source file in this folder, named after the
// key. The header declares a struct holding the check's value, and with it
//
//   struct XCheck {
//     static constexpr std::string_view key = "x";   // its key in a case file
//     ...                                             // its value
//     // The value, read from a case file; nullopt after reporting why not.
//     static std::optional<XCheck> read(const Entry& entry, const StepReader& reader);
//     // What it checks, in plain words, for `condspec explain`.
//     std::string describe() const;
//     // The verdict on the step's response. A kind that is judged even when
//     // the step got none declares judge(const CheckInput&) instead.
//     Verdict judge(const Response& response, const CheckInput& in) const;
//     // Optional: it judges only the status and fields, so it is judged
//     // also on a response whose content was cut short (Exchange::cut_short).
//     // Without it such a response gives an `error` verdict, unless the kind
//     // declares judge_cut_short(const Response& head, const CheckInput&).
//     static constexpr bool head_only = true;
//     // A response whose chunked content cannot be decoded
//     // (Exchange::undecodable) is judged the same way, unless the kind
//     // declares judge_undecodable(const Response& head, const CheckInput&).
//   };
//
// CheckSpec (check_spec.h) lists the kinds; everything that dispatches on a
// kind goes through it, so a kind missing any of these does not compile.
// docs/case-format.md documents each (check_spec_test.cpp keeps them in step).
//
// The names below are all a kind's header needs; its source file includes
// their definitions (yaml_reading.h, step_reader.h, judge.h).

namespace condspec {

struct Entry;
class StepReader;
struct CheckInput;
struct Response;
struct Verdict;

}  // namespace condspec
