#pragma once
// A visitor made of one lambda per alternative of a std::variant:
//
//   std::visit(overloaded{[](const A& a) { ... }, [](const B& b) { ... }}, v);
//
// Unlike a generic lambda with an `if constexpr` chain, it has no catch-all:
// a new alternative without its own lambda does not compile.

namespace condspec {

template <class... Lambdas>
struct overloaded : Lambdas... {
  using Lambdas::operator()...;
};
template <class... Lambdas>
overloaded(Lambdas...) -> overloaded<Lambdas...>;

}  // namespace condspec
