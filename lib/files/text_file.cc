#include "files/text_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace slamon {
namespace {

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

Result<std::string> ReadTextFile(const std::string& path, const std::string& what,
                                 std::size_t max_bytes) {
  auto fail = [&](const std::string& why) {
    return Status::Error(path + ": cannot read " + what + ": " + why);
  };
  // O_NONBLOCK: opening a FIFO without a writer must not hang the daemon
  // (it reads as empty then); a pipe (`--config <(...)`) is read blocking.
  Descriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (file.get() < 0) return fail(std::strerror(errno));
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) return fail(std::strerror(errno));
  if (S_ISDIR(status.st_mode)) return fail("it is a directory");
  if (!S_ISREG(status.st_mode) && !S_ISFIFO(status.st_mode)) {
    return fail("not a regular file");
  }
  if (S_ISFIFO(status.st_mode)) ::fcntl(file.get(), F_SETFL, O_RDONLY);
  if (static_cast<std::size_t>(status.st_size) > max_bytes) {
    return fail("larger than " + std::to_string(max_bytes) + " bytes");
  }
  std::string text;
  char buffer[16384];
  for (;;) {
    ssize_t n = ::read(file.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::strerror(errno));
    if (n == 0) break;
    if (text.size() + static_cast<std::size_t>(n) > max_bytes) {
      return fail("larger than " + std::to_string(max_bytes) + " bytes");
    }
    text.append(buffer, static_cast<std::size_t>(n));
  }
  return text;
}

Result<std::string> ReadSecretFile(const std::string& path, const std::string& what) {
  Result<std::string> text = ReadTextFile(path, what, kMaxSecretFileBytes);
  if (!text) return text.status();
  std::string secret = text->substr(0, text->find_first_of("\r\n"));
  if (secret.empty()) return Status::Error(path + ": " + what + " is empty");
  return secret;
}

}  // namespace slamon
