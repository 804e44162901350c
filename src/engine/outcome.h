#pragma once

#include <string_view>

#include "src/cases/model.h"

namespace condspec {

// Ordered from best to worst for a scenario's verdict, but `error` and
// `not_applicable` are not verdicts: they say nothing could be judged.
enum class Outcome { pass, info, warn, fail, not_applicable, error };

std::string_view to_string(Outcome outcome);

// What a broken check of this level means: MUST/MUST NOT -> fail,
// SHOULD/SHOULD NOT -> warn, MAY -> info.
Outcome outcome_for_broken(Level level);

// The scenario's outcome from its checks: the worst of fail > warn > info > pass.
Outcome worse(Outcome a, Outcome b);

}  // namespace condspec
