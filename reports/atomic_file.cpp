#include "reports/atomic_file.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace condspec {

Status write_file_atomically(const std::filesystem::path& path, std::string_view content) {
  return write_file_atomically(path, [&](const ContentSink& sink) { sink(content); });
}

Status write_file_atomically(const std::filesystem::path& path,
                             const std::function<void(const ContentSink&)>& produce) {
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : ".";
  std::string temp = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
  int fd = mkstemp(temp.data());
  if (fd < 0) {
    return Error{fmt::format("cannot write {}: {}", path.string(), std::strerror(errno))};
  }
  int failed = 0;  // the first write's errno; later pieces are skipped
  produce([&](std::string_view piece) {
    size_t written = 0;
    while (failed == 0 && written < piece.size()) {
      ssize_t n = ::write(fd, piece.data() + written, piece.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) failed = errno;
      if (n > 0) written += static_cast<size_t>(n);
    }
  });
  if (failed != 0) {
    ::close(fd);
    ::unlink(temp.c_str());
    return Error{fmt::format("cannot write {}: {}", path.string(), std::strerror(failed))};
  }
  // mkstemp creates 0600; a report is an ordinary file.
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(temp.c_str());
    return Error{fmt::format("cannot write {}: {}", path.string(), std::strerror(errno))};
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    return Error{fmt::format("cannot write {}: {}", path.string(), std::strerror(saved))};
  }
  return Ok{};
}

}  // namespace condspec
