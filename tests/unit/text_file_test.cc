#include "files/text_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <string>

using namespace slamon;
using Catch::Matchers::Contains;

namespace {

std::string TempDir() {
  char pattern[] = "/tmp/slamon-files-XXXXXX";
  REQUIRE(mkdtemp(pattern) != nullptr);
  return pattern;
}

// The error of a read that must fail; "(read)" when it did not.
std::string ErrorOf(const Result<std::string>& read) {
  return read.ok() ? "(read)" : read.error();
}

// The content of a read that must succeed; "error: ..." when it did not.
std::string ContentOf(const Result<std::string>& read) {
  return read.ok() ? *read : "error: " + read.error();
}

}  // namespace

TEST_CASE("ReadTextFile reads regular files and refuses everything else") {
  const std::string dir = TempDir();
  std::ofstream(dir + "/a.yml") << "policies: {}\n";
  std::string error;
  CHECK(ContentOf(ReadTextFile(dir + "/a.yml", "config file", 1024)) == "policies: {}\n");

  // A directory used to read as an empty config (the built-in policy).
  error = ErrorOf(ReadTextFile(dir, "config file", 1024));
  CHECK(error == dir + ": cannot read config file: it is a directory");

  error = ErrorOf(ReadTextFile(dir + "/missing", "config file", 1024));
  CHECK_THAT(error, Contains("No such file or directory"));

  // A device is not a config.
  error = ErrorOf(ReadTextFile("/dev/zero", "config file", 1024));
  CHECK(error == "/dev/zero: cannot read config file: not a regular file");

  // A pipe is (`--config <(...)`), and a FIFO without a writer does not block.
  REQUIRE(mkfifo((dir + "/fifo").c_str(), 0600) == 0);
  CHECK(ContentOf(ReadTextFile(dir + "/fifo", "config file", 1024)) == "");

  std::ofstream(dir + "/big") << std::string(2000, 'x');
  error = ErrorOf(ReadTextFile(dir + "/big", "config file", 1024));
  CHECK_THAT(error, Contains("larger than 1024 bytes"));
  std::system(("rm -rf " + dir).c_str());
}

TEST_CASE("ReadSecretFile takes the first line and refuses an empty secret") {
  const std::string dir = TempDir();
  std::ofstream(dir + "/pw") << "S3cr3t\r\nsecond line\n";
  std::ofstream(dir + "/empty") << "\n";
  std::string error;
  CHECK(ContentOf(ReadSecretFile(dir + "/pw", "password file")) == "S3cr3t");
  error = ErrorOf(ReadSecretFile(dir + "/empty", "password file"));
  CHECK(error == dir + "/empty: password file is empty");
  // A directory as a password file used to give an empty password.
  error = ErrorOf(ReadSecretFile(dir, "password file"));
  CHECK_THAT(error, Contains("it is a directory"));
  std::system(("rm -rf " + dir).c_str());
}
