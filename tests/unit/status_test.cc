#include "base/status.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>

namespace slamon {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return Status::Error("odd: " + std::to_string(n));
  return n / 2;
}

TEST_CASE("a Status is ok or an error with its message") {
  const Status ok = Status::Ok();
  CHECK(ok.ok());
  CHECK(ok.message().empty());
  CHECK(ok.ToString() == "ok");

  const Status bad = Status::Error("line 3: no such key");
  CHECK_FALSE(bad.ok());
  CHECK(bad.message() == "line 3: no such key");
  CHECK(bad.ToString() == "line 3: no such key");
}

TEST_CASE("an error Status with an empty message is still an error") {
  // ok-ness is not read from the message: only Status::Ok() is ok.
  CHECK_FALSE(Status::Error("").ok());
}

TEST_CASE("a Result holds a value or an error") {
  const Result<int> four = Half(8);
  REQUIRE(four.ok());
  CHECK(static_cast<bool>(four));
  CHECK(*four == 4);
  CHECK(four.value() == 4);
  CHECK(four.status().ok());
  CHECK(four.error().empty());

  const Result<int> odd = Half(7);
  CHECK_FALSE(odd.ok());
  CHECK_FALSE(static_cast<bool>(odd));
  CHECK(odd.error() == "odd: 7");
  CHECK(odd.status().message() == "odd: 7");
}

TEST_CASE("a Result gives up a move-only value") {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  REQUIRE(r.ok());
  std::unique_ptr<int> taken = *std::move(r);
  REQUIRE(taken != nullptr);
  CHECK(*taken == 5);
}

TEST_CASE("a Result's members are reached through ->") {
  const Result<std::string> r = std::string("abc");
  CHECK(r->size() == 3);
}

}  // namespace
}  // namespace slamon
