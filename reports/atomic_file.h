#pragma once
// Writing an output file (a report, a baseline) without destroying what is
// at its path. What happens depends on what is there:
//
//   nothing, or a regular file   written atomically: to a temporary file in
//                                the same directory, flushed, then renamed
//                                over it, so a reader never sees half a
//                                report and a failed write leaves the old
//                                file alone;
//   a symlink                    followed: what it names is written by these
//                                rules (a regular file atomically, the link
//                                staying a link to it);
//   a FIFO, a character device   written in place, never replaced: a reader
//   (/dev/null, a terminal)      at the other end of the FIFO gets the
//                                report, /dev/null stays /dev/null;
//   /dev/stdout, /dev/stderr,    written to that descriptor, in place, so a
//   /dev/fd/N, /proc/self/fd/N   shell redirection is honoured;
//   a directory, a block         refused.
//   device, a socket
//
// output_target() decides without writing anything, so the paths can be
// checked before a run sends a single request; write_output() decides
// again (what is at a path may change meanwhile) and writes.

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "src/core/result.h"

namespace condspec {

struct OutputTarget {
  enum class How { replace_atomically, write_in_place, descriptor };
  How how = How::replace_atomically;
  // replace_atomically: the regular file (or new path) to replace, symlinks
  // followed; write_in_place: the FIFO or character device.
  std::filesystem::path path;
  int fd = -1;  // descriptor
};

// Where `path` leads, or why nothing may be written there (the message
// begins "cannot write <path>: ").
Result<OutputTarget> output_target(const std::filesystem::path& path);

Status write_output(const std::filesystem::path& path, std::string_view content);

// The same, for content handed over piece by piece (a report rendered one
// target at a time), so that it is never held whole: `ContentProducer` calls
// its sink with each piece in order. After a failed write the remaining
// pieces are still produced but not written.
using ContentProducer = std::function<void(const std::function<void(std::string_view)>& sink)>;
Status write_output(const std::filesystem::path& path, const ContentProducer& content);

}  // namespace condspec
