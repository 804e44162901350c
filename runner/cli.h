#pragma once

#include <iosfwd>

#include "runner/options.h"

namespace condspec {

// Parses the command line. Help and usage errors are printed here (help to
// `out`, errors to `err`) and come back as ExitNow{0} or ExitNow{2}.
Command parse_command_line(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace condspec
