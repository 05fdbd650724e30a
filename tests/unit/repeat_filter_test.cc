// runtime/repeat_filter.h: a failure's log line once per quiet period, a new
// reason at once. Time is given, never read.
#include "runtime/repeat_filter.h"

#include <catch2/catch.hpp>

namespace slamon {
namespace {

using std::chrono::seconds;

TEST_CASE("A repeated reason is logged once a minute, a new one at once") {
  RepeatFilter filter(std::chrono::minutes(1));
  const RepeatFilter::TimePoint t0{seconds(1000)};
  CHECK(filter.ShouldLog("connection refused", t0));  // the first is logged
  CHECK_FALSE(filter.ShouldLog("connection refused", t0 + seconds(1)));
  CHECK_FALSE(filter.ShouldLog("connection refused", t0 + seconds(59)));
  CHECK(filter.ShouldLog("connection refused", t0 + seconds(60)));  // a minute on
  CHECK_FALSE(filter.ShouldLog("connection refused", t0 + seconds(61)));
  // Another reason is news: logged, and it becomes the one remembered.
  CHECK(filter.ShouldLog("disk full", t0 + seconds(62)));
  CHECK(filter.ShouldLog("connection refused", t0 + seconds(63)));
  CHECK_FALSE(filter.ShouldLog("connection refused", t0 + seconds(64)));
}

TEST_CASE("The first failure is logged whatever the clock reads") {
  RepeatFilter filter(std::chrono::minutes(1));
  // A steady clock may start near 0: the first line is not held back.
  CHECK(filter.ShouldLog("x", RepeatFilter::TimePoint{}));
  CHECK_FALSE(filter.ShouldLog("x", RepeatFilter::TimePoint{seconds(1)}));
}

}  // namespace
}  // namespace slamon
