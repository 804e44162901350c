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

// Combines two outcomes of one scenario:
//   fail > error > warn > not_applicable > info > pass.
// A broken MUST that was observed stays a fail whatever happens after it (the
// evidence is real). Otherwise "could not judge" (error) outranks a SHOULD
// warning, so that an error is never hidden behind a verdict the gate may
// let through; and a scenario cut short (not_applicable) keeps a warning it
// had already observed.
Outcome worse(Outcome a, Outcome b);

}  // namespace condspec
