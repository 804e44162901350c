#include "reports/atomic_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

namespace condspec {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class OutputFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("condspec-output-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(OutputFile, ReplacesARegularFileAtomicallyAndLeavesNoTemporaryFile) {
  auto file = dir_ / "report.json";
  ASSERT_TRUE(write_output(file, "old").ok());
  ASSERT_TRUE(write_output(file, "new").ok());
  EXPECT_EQ(read(file), "new");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 1);
}

// Content handed over piece by piece lands whole and in order, atomically.
TEST_F(OutputFile, WritesProducedPiecesInOrder) {
  auto file = dir_ / "report.json";
  ASSERT_TRUE(write_output(file, "old").ok());
  ASSERT_TRUE(write_output(file, [](const std::function<void(std::string_view)>& sink) {
                sink("{\"targets\": [");
                sink("1, ");
                sink("2]}");
              }).ok());
  EXPECT_EQ(read(file), "{\"targets\": [1, 2]}");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), {}), 1);
}

// A piece that cannot be written fails the whole write with the reason; the
// pieces after it are still produced (the producer cannot be stopped) but
// not written.
TEST_F(OutputFile, AFailedPieceFailsTheWrite) {
  if (!fs::is_character_file("/dev/full")) GTEST_SKIP() << "no /dev/full";
  size_t produced = 0;
  auto status = write_output("/dev/full", [&](const std::function<void(std::string_view)>& sink) {
    for (int i = 0; i < 3; ++i, ++produced) sink("piece");
  });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message, "cannot write /dev/full: No space left on device");
  EXPECT_EQ(produced, 3u);
}

TEST_F(OutputFile, NamesThePathWhenTheDirectoryIsMissing) {
  const std::string path = (dir_ / "missing" / "report.json").string();
  auto status = write_output(path, "x");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message, "cannot write " + path + ": its directory " +
                                        (dir_ / "missing").string() + " does not exist");
  EXPECT_EQ(output_target(path).error().message, status.error().message);
}

TEST_F(OutputFile, RefusesADirectory) {
  auto status = write_output(dir_, "x");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message, "cannot write " + dir_.string() + ": it is a directory");
  EXPECT_TRUE(fs::is_directory(dir_));
}

// A symlink to a regular file: the file it points to is replaced
// atomically, and the link stays a link to it.
TEST_F(OutputFile, WritesThroughASymlinkToTheFileItNames) {
  fs::create_directories(dir_ / "real");
  std::ofstream(dir_ / "real" / "r.json") << "old";
  fs::create_symlink("real/r.json", dir_ / "latest.json");
  ASSERT_TRUE(write_output(dir_ / "latest.json", "new").ok());
  EXPECT_TRUE(fs::is_symlink(dir_ / "latest.json"));
  EXPECT_EQ(read(dir_ / "real" / "r.json"), "new");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "real"), {}), 1);
  // A link to a file that does not exist yet creates it.
  fs::create_symlink("real/new.json", dir_ / "next.json");
  ASSERT_TRUE(write_output(dir_ / "next.json", "first").ok());
  EXPECT_TRUE(fs::is_symlink(dir_ / "next.json"));
  EXPECT_EQ(read(dir_ / "real" / "new.json"), "first");
}

// A FIFO is written to, never replaced: what a reader at its other end
// gets is the report.
TEST_F(OutputFile, WritesIntoAFifoWithoutReplacingIt) {
  const fs::path fifo = dir_ / "pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] { got = read(fifo); });
  const std::string big(200'000, 'r');  // more than a pipe holds at once
  EXPECT_TRUE(write_output(fifo, big).ok());
  reader.join();
  EXPECT_EQ(got, big);
  EXPECT_TRUE(fs::is_fifo(fifo));
}

TEST_F(OutputFile, AFifoWithoutAReaderIsAnErrorNotAHang) {
  const fs::path fifo = dir_ / "pipe";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  auto status = write_output(fifo, "x");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message, "cannot write " + fifo.string() +
                                        ": no process opened the FIFO for reading within 1 s");
  EXPECT_TRUE(fs::is_fifo(fifo));
}

// A character device (/dev/null, a terminal) is written to as it is. The
// test makes its own null device, since as root the old behaviour replaced
// the machine's /dev/null with a regular file.
TEST_F(OutputFile, WritesIntoACharacterDeviceWithoutReplacingIt) {
  const fs::path null = dir_ / "null";
  if (mknod(null.c_str(), S_IFCHR | 0666, makedev(1, 3)) != 0)
    GTEST_SKIP() << "cannot create a device node (not root)";
  EXPECT_TRUE(write_output(null, "report").ok());
  EXPECT_TRUE(fs::is_character_file(null));
  // Through a symlink too.
  fs::create_symlink(null, dir_ / "link");
  EXPECT_TRUE(write_output(dir_ / "link", "report").ok());
  EXPECT_TRUE(fs::is_character_file(null));
  EXPECT_TRUE(fs::is_symlink(dir_ / "link"));
}

TEST_F(OutputFile, RefusesBlockDevicesAndSockets) {
  const fs::path block = dir_ / "disk";
  if (mknod(block.c_str(), S_IFBLK | 0600, makedev(7, 0)) == 0) {
    auto status = write_output(block, "x");
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message,
              "cannot write " + block.string() +
                  ": it is a block device (a report goes to a file, a FIFO or a character device "
                  "such as /dev/null)");
    EXPECT_TRUE(fs::is_block_file(block));
  }
  const fs::path socket_path = dir_ / "sock";
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", socket_path.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  auto status = write_output(socket_path, "x");
  ::close(fd);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "cannot write " + socket_path.string() +
                ": it is a socket (a report goes to a file, a FIFO or a character device such as "
                "/dev/null)");
  EXPECT_TRUE(fs::is_socket(socket_path));
}

// /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N name a
// descriptor the program already has: written there, in place, so a
// redirection of the shell (`> out.txt`) is honoured rather than replaced.
TEST_F(OutputFile, DescriptorPathsAreWrittenToTheDescriptor) {
  const fs::path file = dir_ / "out.txt";
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "summary\n", 8), 8);
  for (const std::string& path :
       {"/dev/fd/" + std::to_string(fd), "/proc/self/fd/" + std::to_string(fd)}) {
    auto target = output_target(path);
    ASSERT_TRUE(target.ok()) << path;
    EXPECT_EQ(target->fd, fd);
    ASSERT_TRUE(write_output(path, "report\n").ok()) << path;
  }
  ::close(fd);
  EXPECT_EQ(read(file), "summary\nreport\nreport\n");
  EXPECT_EQ(output_target("/dev/stdout")->fd, 1);
  EXPECT_EQ(output_target("/dev/stderr")->fd, 2);
  EXPECT_EQ(output_target("/dev/fd/987").error().message,
            "cannot write /dev/fd/987: descriptor 987 is not open for writing");
}

}  // namespace
}  // namespace condspec
