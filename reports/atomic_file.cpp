#include "reports/atomic_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <thread>

namespace condspec {

namespace {

namespace fs = std::filesystem;

Error cannot_write(const fs::path& path, std::string_view why) {
  return Error{fmt::format("cannot write {}: {}", path.string(), why)};
}

// The descriptor a path names: /dev/stdout, /dev/stderr, /dev/fd/N,
// /proc/self/fd/N.
std::optional<int> named_descriptor(const fs::path& path) {
  const std::string text = path.lexically_normal().string();
  if (text == "/dev/stdout") return 1;
  if (text == "/dev/stderr") return 2;
  for (std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (!text.starts_with(prefix)) continue;
    const std::string_view number = std::string_view(text).substr(prefix.size());
    int fd = -1;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), fd);
    if (ec == std::errc{} && end == number.data() + number.size() && fd >= 0) return fd;
  }
  return std::nullopt;
}

// Follows symlinks to the path they finally name (which need not exist).
Result<fs::path> follow_links(const fs::path& given) {
  fs::path path = given;
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(path, ec))) return path;
    const fs::path next = fs::read_symlink(path, ec);
    if (ec) return cannot_write(given, ec.message());
    path = next.is_absolute() ? next : path.parent_path() / next;
  }
  return cannot_write(given, "too many levels of symbolic links");
}

constexpr std::string_view kWhereReportsGo =
    "(a report goes to a file, a FIFO or a character device such as /dev/null)";

Status write_all(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error{std::strerror(errno)};
    }
    content.remove_prefix(static_cast<size_t>(n));
  }
  return Ok{};
}

// Writes what `produce` hands its sink, piece by piece; after the first
// failed write the rest is not written, and that failure is returned.
Status write_produced(int fd, const ContentProducer& produce) {
  Status status = Ok{};
  produce([&](std::string_view piece) {
    if (status) status = write_all(fd, piece);
  });
  return status;
}

Status replace_atomically(const fs::path& shown, const fs::path& path,
                          const ContentProducer& content) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : ".";
  std::string temp = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
  int fd = mkstemp(temp.data());
  if (fd < 0) return cannot_write(shown, std::strerror(errno));
  if (auto written = write_produced(fd, content); !written) {
    ::close(fd);
    ::unlink(temp.c_str());
    return cannot_write(shown, written.error().message);
  }
  // mkstemp creates 0600; a report is an ordinary file.
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    return cannot_write(shown, std::strerror(saved));
  }
  // What is at the path may have changed since it was checked: a rename
  // never replaces anything but a regular file.
  struct stat now {};
  if (::lstat(path.c_str(), &now) == 0 && !S_ISREG(now.st_mode)) {
    ::unlink(temp.c_str());
    return cannot_write(shown, "it is no longer a regular file");
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    ::unlink(temp.c_str());
    return cannot_write(shown, std::strerror(saved));
  }
  return Ok{};
}

// How long a FIFO may go without a reader before the write is given up.
constexpr auto kFifoReaderWait = std::chrono::seconds{1};

Status write_in_place(const fs::path& shown, const fs::path& path, const ContentProducer& content) {
  struct stat info {};
  const bool fifo = ::stat(path.c_str(), &info) == 0 && S_ISFIFO(info.st_mode);
  // A FIFO is opened without blocking: with no reader, open() would wait
  // for ever. A reader that comes a moment later is waited for, briefly.
  const auto until = std::chrono::steady_clock::now() + kFifoReaderWait;
  int fd = -1;
  while (true) {
    fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC | (fifo ? O_NONBLOCK : 0));
    if (fd >= 0 || !fifo || errno != ENXIO || std::chrono::steady_clock::now() >= until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  if (fd < 0) {
    if (fifo && errno == ENXIO)
      return cannot_write(shown, fmt::format("no process opened the FIFO for reading within {} s",
                                             kFifoReaderWait.count()));
    return cannot_write(shown, std::strerror(errno));
  }
  if (fifo) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  Status written = write_produced(fd, content);
  const int closed = ::close(fd);
  if (!written) return cannot_write(shown, written.error().message);
  if (closed != 0 && errno != EINTR) return cannot_write(shown, std::strerror(errno));
  return Ok{};
}

}  // namespace

Result<OutputTarget> output_target(const fs::path& given) {
  if (auto fd = named_descriptor(given)) {
    const int flags = ::fcntl(*fd, F_GETFL);
    if (flags < 0 || (flags & O_ACCMODE) == O_RDONLY)
      return cannot_write(given, fmt::format("descriptor {} is not open for writing", *fd));
    return OutputTarget{OutputTarget::How::descriptor, given, *fd};
  }
  auto followed = follow_links(given);
  if (!followed) return followed.error();
  const fs::path path = *followed;
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) {
    if (S_ISREG(info.st_mode)) {
      // Replaced by a rename in its directory, which must allow it.
    } else if (S_ISFIFO(info.st_mode) || S_ISCHR(info.st_mode)) {
      return OutputTarget{OutputTarget::How::write_in_place, path, -1};
    } else if (S_ISDIR(info.st_mode)) {
      return cannot_write(given, "it is a directory");
    } else if (S_ISBLK(info.st_mode)) {
      return cannot_write(given, fmt::format("it is a block device {}", kWhereReportsGo));
    } else if (S_ISSOCK(info.st_mode)) {
      return cannot_write(given, fmt::format("it is a socket {}", kWhereReportsGo));
    } else {
      return cannot_write(given, fmt::format("it is not a regular file {}", kWhereReportsGo));
    }
  } else if (errno != ENOENT) {
    return cannot_write(given, std::strerror(errno));
  }
  const fs::path dir = path.has_parent_path() ? path.parent_path() : ".";
  struct stat dir_info {};
  if (::stat(dir.c_str(), &dir_info) != 0 || !S_ISDIR(dir_info.st_mode))
    return cannot_write(given, fmt::format("its directory {} does not exist", dir.string()));
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return cannot_write(given, fmt::format("its directory {} is not writable", dir.string()));
  return OutputTarget{OutputTarget::How::replace_atomically, path, -1};
}

Status write_output(const fs::path& path, std::string_view content) {
  return write_output(
      path, [content](const std::function<void(std::string_view)>& sink) { sink(content); });
}

Status write_output(const fs::path& path, const ContentProducer& content) {
  auto target = output_target(path);
  if (!target) return target.error();
  switch (target->how) {
    case OutputTarget::How::replace_atomically:
      return replace_atomically(path, target->path, content);
    case OutputTarget::How::write_in_place:
      return write_in_place(path, target->path, content);
    case OutputTarget::How::descriptor:
      if (auto written = write_produced(target->fd, content); !written)
        return cannot_write(path, written.error().message);
      return Ok{};
  }
  return Ok{};
}

}  // namespace condspec
