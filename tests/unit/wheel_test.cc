// TimerWheel: ordering, ticks, cancel, far future, cascade boundaries, jumps,
// time going backward, and a differential test against a std::multimap.
//
// Offsets are written in seconds from T0; 64, 64^2 = 4096, 64^3 = 262144 ticks are
// where timers move between levels, 64^6 = 2^36 ticks (about 2177 years at 1 s)
// is the end of the wheel's levels.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "test_time.h"
#include "wheel/timer_wheel.h"

using namespace slamon;
using slamon::testing::At;
using slamon::testing::Show;

namespace {

using Expired = TimerWheel::Expired;

constexpr Seconds S(int64_t seconds) { return Seconds{seconds}; }
constexpr int64_t kDay = 86400;
constexpr int64_t kYear = 365 * kDay;
constexpr int64_t kWheelSpan = int64_t{1} << 36;  // 64^6 ticks

// 2026-01-01T00:00:00Z: a multiple of 5 s since the epoch.
const Instant T0 = Instant{Seconds{1767225600}};

// Advances `wheel` to `now` and returns what expired.
std::vector<Expired> AdvanceTo(TimerWheel& wheel, Instant now) {
  std::vector<Expired> expired;
  wheel.Advance(now, expired);
  return expired;
}

// The expired timers' instants as offsets from T0 in seconds, in the order given.
std::vector<int64_t> Offsets(const std::vector<Expired>& expired) {
  std::vector<int64_t> offsets;
  for (const Expired& e : expired) offsets.push_back((e.when - T0).count());
  return offsets;
}

std::vector<uint64_t> Payloads(const std::vector<Expired>& expired) {
  std::vector<uint64_t> payloads;
  for (const Expired& e : expired) payloads.push_back(e.payload);
  return payloads;
}

}  // namespace

TEST_CASE("Test instant T0 is 2026-01-01") { CHECK(Show(T0) == "2026-01-01T00:00:00Z"); }

TEST_CASE("Expired timers come out in order of when, across levels") {
  TimerWheel wheel(T0);
  // Level L holds timers from 64^L to 64^(L+1) s ahead: 64, 4096, 262144,
  // 16777216 (194 days), 1073741824 (34 years). Scheduled out of order.
  wheel.Schedule(T0 + S(400000), 4);       // level 3
  wheel.Schedule(T0 + S(5), 1);            // level 0
  wheel.Schedule(T0 + S(70 * kDay), 5);    // level 3
  wheel.Schedule(T0 + S(100), 2);          // level 1
  wheel.Schedule(T0 + S(100 * kYear), 7);  // level 5
  wheel.Schedule(T0 + S(5000), 3);         // level 2
  wheel.Schedule(T0 + S(3), 0);            // level 0
  wheel.Schedule(T0 + S(5 * kYear), 6);    // level 4
  REQUIRE(wheel.size() == 8);

  std::vector<Expired> expired = AdvanceTo(wheel, T0 + S(200 * kYear));
  CHECK(Offsets(expired) ==
        std::vector<int64_t>{3, 5, 100, 5000, 400000, 70 * kDay, 5 * kYear, 100 * kYear});
  CHECK(Payloads(expired) == std::vector<uint64_t>{0, 1, 2, 3, 4, 5, 6, 7});
  CHECK(wheel.size() == 0);
}

TEST_CASE("Timers advanced past in small steps also come out in order") {
  TimerWheel wheel(T0);
  for (int64_t offset : {7000, 70, 7, 700, 70000, 700000}) {
    wheel.Schedule(T0 + S(offset), static_cast<uint64_t>(offset));
  }
  std::vector<Expired> expired;
  for (int64_t t = 0; t <= 700000; t += 333) wheel.Advance(T0 + S(t), expired);
  wheel.Advance(T0 + S(700000), expired);
  CHECK(Offsets(expired) == std::vector<int64_t>{7, 70, 700, 7000, 70000, 700000});
}

TEST_CASE("Ties in one tick all fire together") {
  TimerWheel wheel(T0);
  wheel.Schedule(T0 + S(90), 1);
  wheel.Schedule(T0 + S(90), 2);
  wheel.Schedule(T0 + S(90), 3);
  CHECK(AdvanceTo(wheel, T0 + S(89)).empty());
  std::vector<uint64_t> payloads = Payloads(AdvanceTo(wheel, T0 + S(90)));
  std::sort(payloads.begin(), payloads.end());
  CHECK(payloads == std::vector<uint64_t>{1, 2, 3});
}

TEST_CASE("With a 1 s tick a timer fires exactly at its instant, never early") {
  TimerWheel wheel(T0);
  wheel.Schedule(T0 + S(10), 1);
  CHECK(AdvanceTo(wheel, T0 + S(9)).empty());
  CHECK(Offsets(AdvanceTo(wheel, T0 + S(10))) == std::vector<int64_t>{10});
  CHECK(AdvanceTo(wheel, T0 + S(11)).empty());
}

TEST_CASE("With a 5 s tick a timer fires at the first tick boundary at or after it") {
  // Boundaries are multiples of 5 s since the epoch (T0 is one). A timer for
  // T0+7 s is due at T0+10 s: 3 s late, less than one tick.
  for (int64_t when = 1; when <= 30; ++when) {
    INFO("timer at T0+" << when << " s");
    TimerWheel wheel(T0, {.tick = S(5)});
    wheel.Schedule(T0 + S(when), 1);
    const int64_t boundary = (when + 4) / 5 * 5;
    CHECK(*wheel.NextExpiry() == T0 + S(boundary));
    int64_t fired_at = -1;
    for (int64_t t = 1; t <= 40 && fired_at < 0; ++t) {
      if (!AdvanceTo(wheel, T0 + S(t)).empty()) fired_at = t;
    }
    CHECK(fired_at == boundary);
    CHECK(fired_at >= when);     // never early
    CHECK(fired_at - when < 5);  // less than one tick late
  }
}

TEST_CASE("Tick boundaries do not depend on when the wheel was made") {
  // Made at T0+3 s with a 5 s tick: boundaries are still T0+5, T0+10, ...
  TimerWheel wheel(T0 + S(3), {.tick = S(5)});
  wheel.Schedule(T0 + S(4), 1);
  wheel.Schedule(T0 + S(6), 2);
  CHECK(AdvanceTo(wheel, T0 + S(4)).empty());
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(5))) == std::vector<uint64_t>{1});
  CHECK(AdvanceTo(wheel, T0 + S(9)).empty());
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(10))) == std::vector<uint64_t>{2});
}

TEST_CASE("A 5 s tick orders timers within one tick by when") {
  TimerWheel wheel(T0, {.tick = S(5)});
  wheel.Schedule(T0 + S(9), 9);
  wheel.Schedule(T0 + S(6), 6);
  wheel.Schedule(T0 + S(10), 10);
  wheel.Schedule(T0 + S(8), 8);
  CHECK(Offsets(AdvanceTo(wheel, T0 + S(10))) == std::vector<int64_t>{6, 8, 9, 10});
}

TEST_CASE("A non-positive tick is refused") {
  CHECK_THROWS_AS(TimerWheel(T0, {.tick = S(0)}), std::invalid_argument);
  CHECK_THROWS_AS(TimerWheel(T0, {.tick = S(-1)}), std::invalid_argument);
}

TEST_CASE("Cancel removes a pending timer once") {
  TimerWheel wheel(T0);
  const TimerWheel::TimerId a = wheel.Schedule(T0 + S(100), 1);
  const TimerWheel::TimerId b = wheel.Schedule(T0 + S(200), 2);
  CHECK(a != TimerWheel::kNoTimer);
  CHECK(a != b);
  CHECK(wheel.size() == 2);
  CHECK(wheel.Cancel(a));
  CHECK(wheel.size() == 1);
  CHECK_FALSE(wheel.Cancel(a));  // double cancel
  CHECK(wheel.size() == 1);
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(1000))) == std::vector<uint64_t>{2});
  CHECK_FALSE(wheel.Cancel(b));  // stale: already expired
  CHECK(wheel.size() == 0);
}

TEST_CASE("Cancel ignores kNoTimer and ids never issued") {
  TimerWheel wheel(T0);
  CHECK_FALSE(wheel.Cancel(TimerWheel::kNoTimer));
  const TimerWheel::TimerId a = wheel.Schedule(T0 + S(100), 1);
  CHECK_FALSE(wheel.Cancel(a + 1));                    // no such node
  CHECK_FALSE(wheel.Cancel(a + (uint64_t{1} << 32)));  // wrong generation
  CHECK_FALSE(wheel.Cancel(a & 0xFFFFFFFFu));          // generation 0
  CHECK(wheel.size() == 1);
  CHECK(wheel.Cancel(a));
}

TEST_CASE("Cancel ignores an id a free node's next timer would get") {
  TimerWheel wheel(T0);
  const TimerWheel::TimerId gone = wheel.Schedule(T0 + S(100), 2);
  REQUIRE(wheel.Cancel(gone));  // the only timer: its node is freed at once
  // The free node has its next generation; no timer holds that id yet.
  const TimerWheel::TimerId next = gone + (uint64_t{1} << 32);
  CHECK_FALSE(wheel.Cancel(next));
  CHECK(wheel.size() == 0);
  CHECK(wheel.Schedule(T0 + S(100), 3) == next);  // now it is issued
  wheel.Schedule(T0 + S(100), 1);
  CHECK(wheel.Cancel(next));
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(100))) == std::vector<uint64_t>{1});
}

TEST_CASE("A cancelled timer's id does not cancel the timer that reuses its node") {
  TimerWheel wheel(T0);
  const TimerWheel::TimerId old_id = wheel.Schedule(T0 + S(100), 1);
  REQUIRE(wheel.Cancel(old_id));
  const TimerWheel::TimerId new_id = wheel.Schedule(T0 + S(100), 2);
  CHECK((new_id & 0xFFFFFFFFu) == (old_id & 0xFFFFFFFFu));  // same node reused
  CHECK(new_id != old_id);
  CHECK_FALSE(wheel.Cancel(old_id));
  CHECK(wheel.size() == 1);
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(100))) == std::vector<uint64_t>{2});
}

TEST_CASE("An expired timer's id does not cancel the timer that reuses its node") {
  TimerWheel wheel(T0);
  const TimerWheel::TimerId old_id = wheel.Schedule(T0 + S(10), 1);
  REQUIRE(AdvanceTo(wheel, T0 + S(10)).size() == 1);
  const TimerWheel::TimerId new_id = wheel.Schedule(T0 + S(20), 2);
  CHECK((new_id & 0xFFFFFFFFu) == (old_id & 0xFFFFFFFFu));
  CHECK_FALSE(wheel.Cancel(old_id));
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(20))) == std::vector<uint64_t>{2});
}

TEST_CASE("Cancel works on every level and on timers already due") {
  TimerWheel wheel(T0);
  const TimerWheel::TimerId past = wheel.Schedule(T0 - S(5), 0);
  const TimerWheel::TimerId l0 = wheel.Schedule(T0 + S(10), 1);
  const TimerWheel::TimerId l2 = wheel.Schedule(T0 + S(10000), 2);
  const TimerWheel::TimerId l5 = wheel.Schedule(T0 + S(40 * kYear), 3);
  const TimerWheel::TimerId overflow = wheel.Schedule(T0 + S(3000 * kYear), 4);
  wheel.Schedule(T0 + S(10000), 5);  // shares l2's slot
  CHECK(wheel.Cancel(past));
  CHECK(wheel.Cancel(l0));
  CHECK(wheel.Cancel(l2));
  CHECK(wheel.Cancel(l5));
  CHECK(wheel.Cancel(overflow));
  CHECK(wheel.size() == 1);
  CHECK(*wheel.NextExpiry() <= T0 + S(10000));
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(4000 * kYear))) == std::vector<uint64_t>{5});
  CHECK_FALSE(wheel.NextExpiry().has_value());
}

TEST_CASE("A crowded slot keeps its timers through cancels in any order") {
  // 1000 timers in one level-2 slot (T0+100000 s .. T0+100009 s), several
  // chunks of entries; cancel every third from the back, then every third
  // from the front, in between the timers that stay.
  TimerWheel wheel(T0);
  std::vector<TimerWheel::TimerId> ids;
  for (int64_t i = 0; i < 1000; ++i) {
    ids.push_back(wheel.Schedule(T0 + S(100000 + i % 10), static_cast<uint64_t>(i)));
  }
  for (int64_t i = 999; i >= 0; --i) {
    if (i % 3 == 0) REQUIRE(wheel.Cancel(ids[static_cast<size_t>(i)]));
  }
  for (int64_t i = 0; i < 1000; ++i) {
    if (i % 3 == 1) REQUIRE(wheel.Cancel(ids[static_cast<size_t>(i)]));
  }
  CHECK(wheel.size() == 333);
  for (int64_t i = 0; i < 1000; ++i) {
    if (i % 3 != 2) CHECK_FALSE(wheel.Cancel(ids[static_cast<size_t>(i)]));
  }
  CHECK(AdvanceTo(wheel, T0 + S(99999)).empty());
  std::vector<Expired> expired = AdvanceTo(wheel, T0 + S(100009));
  REQUIRE(expired.size() == 333);
  std::vector<uint64_t> payloads = Payloads(expired);
  std::sort(payloads.begin(), payloads.end());
  for (size_t k = 0; k < payloads.size(); ++k) CHECK(payloads[k] == 3 * k + 2);
  for (const Expired& e : expired) {
    CHECK((e.when - T0).count() == 100000 + static_cast<int64_t>(e.payload) % 10);
  }
  CHECK(
      std::is_sorted(expired.begin(), expired.end(),
                     [](const Expired& a, const Expired& b) { return a.when < b.when; }));
}

TEST_CASE("Cancelled entries are dropped: churn in one slot keeps memory flat") {
  // 1000 timers stay in a far slot while a million are scheduled into it and
  // cancelled, in batches of 2000 in shuffled order: dead entries never
  // outnumber pending timers for long, so nodes and chunks stay near their
  // first peak.
  TimerWheel wheel(T0);
  std::vector<TimerWheel::TimerId> stay;
  for (int i = 0; i < 1000; ++i)
    stay.push_back(wheel.Schedule(T0 + S(100000 + i % 7), 7));
  std::mt19937_64 rng(42);
  std::vector<TimerWheel::TimerId> batch;
  size_t after_first_batch = 0;
  for (int round = 0; round < 500; ++round) {
    batch.clear();
    for (int i = 0; i < 2000; ++i)
      batch.push_back(wheel.Schedule(T0 + S(100000 + i % 9), 9));
    std::shuffle(batch.begin(), batch.end(), rng);
    for (TimerWheel::TimerId id : batch) REQUIRE(wheel.Cancel(id));
    if (round == 0) after_first_batch = wheel.MemoryBytes();
  }
  CHECK(wheel.size() == 1000);
  CHECK(wheel.MemoryBytes() <= after_first_batch + 16 * 1024);
  std::vector<Expired> expired = AdvanceTo(wheel, T0 + S(100010));
  CHECK(expired.size() == 1000);
  for (const Expired& e : expired) CHECK(e.payload == 7);
  CHECK(wheel.size() == 0);
  CHECK_FALSE(wheel.NextExpiry());
}

TEST_CASE("A node whose id generation would wrap retires and is never reused") {
  // Ids carry a 23-bit generation: after 2^23 - 1 timers on one node it
  // retires, so no id issued for it can ever match a later timer.
  TimerWheel wheel(T0);
  const TimerWheel::TimerId first = wheel.Schedule(T0 + S(10), 1);
  REQUIRE(wheel.Cancel(first));
  TimerWheel::TimerId id = first;
  uint64_t timers = 1;
  while (static_cast<uint32_t>(id) == static_cast<uint32_t>(first)) {
    id = wheel.Schedule(T0 + S(10), 2);
    ++timers;
    REQUIRE(wheel.Cancel(id));
    REQUIRE(timers <= (uint64_t{1} << 23));
  }
  // The last id of node 0 was issued for its final generation; the timer after
  // it had to take a new node.
  CHECK(timers == (uint64_t{1} << 23));
  CHECK(static_cast<uint32_t>(id) == 1);
  CHECK_FALSE(wheel.Cancel(TimerWheel::kNoTimer));  // node 0, generation 0: retired
  const TimerWheel::TimerId next = wheel.Schedule(T0 + S(10), 3);
  CHECK(static_cast<uint32_t>(next) == 1);  // node 1 again, from the free stack
  CHECK_FALSE(wheel.Cancel(first));
  std::vector<Expired> expired = AdvanceTo(wheel, T0 + S(10));
  REQUIRE(expired.size() == 1);
  CHECK(expired[0].payload == 3);
}

TEST_CASE("Freed nodes are reused in address order, the cursor wrapping round") {
  // A TimerId's low half is its node. Nodes freed in any order are taken in
  // address order; nodes freed behind the cursor are taken after it wraps;
  // a new node is made only when none is free.
  auto node = [](TimerWheel::TimerId id) { return static_cast<uint32_t>(id); };
  TimerWheel wheel(T0);
  std::vector<TimerWheel::TimerId> ids;
  for (uint32_t i = 0; i < 300; ++i) {
    ids.push_back(wheel.Schedule(T0 + S(1000 + i), i));
    REQUIRE(node(ids.back()) == i);
  }
  std::mt19937_64 rng(3);
  std::shuffle(ids.begin(), ids.end(), rng);
  for (TimerWheel::TimerId id : ids) REQUIRE(wheel.Cancel(id));
  REQUIRE(wheel.size() == 0);
  const size_t bytes = wheel.MemoryBytes();
  for (uint32_t i = 0; i < 300; ++i) {
    CHECK(node(wheel.Schedule(T0 + S(5000 + i), i)) == i);  // node i due at 5000 + i
  }
  CHECK(wheel.MemoryBytes() == bytes);
  REQUIRE(AdvanceTo(wheel, T0 + S(5099)).size() == 100);  // frees nodes 0 .. 99
  for (uint32_t k = 0; k < 100; ++k) {
    CHECK(node(wheel.Schedule(T0 + S(9000), 7)) == k);
  }
  CHECK(node(wheel.Schedule(T0 + S(9000), 8)) == 300);
  CHECK(wheel.size() == 301);
  const std::vector<Expired> expired = AdvanceTo(wheel, T0 + S(9000));
  CHECK(expired.size() == 301);
}

TEST_CASE("Cancelling a slot's last timer moves NextExpiry on") {
  TimerWheel wheel(T0);
  const TimerWheel::TimerId a = wheel.Schedule(T0 + S(10), 1);
  const TimerWheel::TimerId b = wheel.Schedule(T0 + S(10), 2);
  wheel.Schedule(T0 + S(20), 3);
  CHECK(*wheel.NextExpiry() == T0 + S(10));
  wheel.Cancel(a);
  CHECK(*wheel.NextExpiry() == T0 + S(10));  // b is still there
  wheel.Cancel(b);
  CHECK(*wheel.NextExpiry() == T0 + S(20));
}

TEST_CASE("Deadlines years ahead fire at their second") {
  TimerWheel wheel(T0);
  wheel.Schedule(T0 + S(10 * kYear), 10);
  wheel.Schedule(T0 + S(2 * kYear + 17), 2);
  CHECK(AdvanceTo(wheel, T0 + S(2 * kYear + 16)).empty());
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(2 * kYear + 17))) == std::vector<uint64_t>{2});
  CHECK(AdvanceTo(wheel, T0 + S(10 * kYear - 1)).empty());
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(10 * kYear))) == std::vector<uint64_t>{10});
}

TEST_CASE("Timers beyond the top level wait in the overflow list and fire on time") {
  // 3000 and 10000 years are beyond 64^6 s (about 2177 years).
  TimerWheel wheel(T0);
  wheel.Schedule(T0 + S(10000 * kYear + 5), 3);
  wheel.Schedule(T0 + S(3000 * kYear), 2);
  wheel.Schedule(T0 + S(kWheelSpan), 1);  // exactly 64^6 ticks ahead
  wheel.Schedule(T0 + S(kWheelSpan - 1), 0);
  CHECK(*wheel.NextExpiry() <= T0 + S(kWheelSpan - 1));
  CHECK(AdvanceTo(wheel, T0 + S(kWheelSpan - 2)).empty());
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(kWheelSpan - 1))) == std::vector<uint64_t>{0});
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(kWheelSpan))) == std::vector<uint64_t>{1});
  CHECK(AdvanceTo(wheel, T0 + S(3000 * kYear - 1)).empty());
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(3000 * kYear))) == std::vector<uint64_t>{2});
  CHECK(AdvanceTo(wheel, T0 + S(10000 * kYear + 4)).empty());
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(10000 * kYear + 5))) ==
        std::vector<uint64_t>{3});
}

TEST_CASE("A near timer across the wheel's 64^6-tick boundary fires on time") {
  // 10 s before the end of the first 64^6-tick block, a timer 20 s ahead
  // differs from the current tick above the top level: it goes to overflow.
  TimerWheel wheel(T0);
  REQUIRE(AdvanceTo(wheel, T0 + S(kWheelSpan - 10)).empty());
  wheel.Schedule(T0 + S(kWheelSpan + 10), 1);
  wheel.Schedule(T0 + S(kWheelSpan - 5), 0);
  CHECK(*wheel.NextExpiry() == T0 + S(kWheelSpan - 5));
  std::vector<int64_t> fired_at;
  for (int64_t t = kWheelSpan - 9; t <= kWheelSpan + 20; ++t) {
    for (const Expired& e : AdvanceTo(wheel, T0 + S(t))) {
      CHECK((e.when - T0).count() == t);
      fired_at.push_back(t);
    }
  }
  CHECK(fired_at == std::vector<int64_t>{kWheelSpan - 5, kWheelSpan + 10});
}

TEST_CASE("Timers at and around the cascade boundaries fire at their second") {
  // Made at T0 (all lower digits of the tick zero) and at T0+37 s (not).
  const int64_t start = GENERATE(int64_t{0}, int64_t{37});
  INFO("wheel made at T0+" << start << " s");
  std::vector<int64_t> offsets;
  for (int64_t boundary : {int64_t{64}, int64_t{4096}, int64_t{262144}}) {
    offsets.push_back(boundary - 1);
    offsets.push_back(boundary);
    offsets.push_back(boundary + 1);
  }
  TimerWheel wheel(T0 + S(start));
  for (int64_t offset : offsets) {
    wheel.Schedule(T0 + S(start + offset), static_cast<uint64_t>(offset));
  }
  // Second by second past the last one: each fires exactly at its instant.
  std::vector<int64_t> fired;
  for (int64_t t = 1; t <= 262145 + 2; ++t) {
    for (const Expired& e : AdvanceTo(wheel, T0 + S(start + t))) {
      CHECK((e.when - T0).count() == start + t);
      fired.push_back(static_cast<int64_t>(e.payload));
    }
  }
  CHECK(fired == offsets);
}

TEST_CASE("Cascade boundaries hold when jumping straight to them") {
  for (int64_t boundary : {int64_t{64}, int64_t{4096}, int64_t{262144}}) {
    for (int64_t offset : {boundary - 1, boundary, boundary + 1}) {
      INFO("timer at T0+" << offset << " s");
      TimerWheel wheel(T0);
      wheel.Schedule(T0 + S(offset), 1);
      CHECK(AdvanceTo(wheel, T0 + S(offset - 1)).empty());
      CHECK(Offsets(AdvanceTo(wheel, T0 + S(offset))) == std::vector<int64_t>{offset});
    }
  }
}

TEST_CASE("One Advance jumping days or years fires exactly the due timers") {
  TimerWheel wheel(T0);
  // A timer every 7 hours for a year.
  std::vector<int64_t> all;
  for (int64_t t = 7 * 3600; t <= kYear; t += 7 * 3600) {
    wheel.Schedule(T0 + S(t), static_cast<uint64_t>(t));
    all.push_back(t);
  }
  const auto two_days = std::upper_bound(all.begin(), all.end(), 2 * kDay);
  std::vector<Expired> expired = AdvanceTo(wheel, T0 + S(2 * kDay));
  CHECK(Offsets(expired) == std::vector<int64_t>(all.begin(), two_days));

  expired = AdvanceTo(wheel, T0 + S(5 * kYear));
  CHECK(Offsets(expired) == std::vector<int64_t>(two_days, all.end()));
  CHECK(wheel.size() == 0);
}

TEST_CASE("A jump of years over an empty wheel leaves later timers intact") {
  TimerWheel wheel(T0);
  CHECK(AdvanceTo(wheel, T0 + S(3 * kYear)).empty());
  CHECK(wheel.now() == T0 + S(3 * kYear));
  wheel.Schedule(T0 + S(3 * kYear + 64), 1);
  wheel.Schedule(T0 + S(3 * kYear + 1), 0);
  CHECK(*wheel.NextExpiry() == T0 + S(3 * kYear + 1));
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(3 * kYear + 64))) ==
        std::vector<uint64_t>{0, 1});
}

TEST_CASE("Time going backward fires nothing and loses nothing") {
  TimerWheel wheel(T0);
  wheel.Schedule(T0 + S(100), 1);
  wheel.Schedule(T0 + S(200), 2);
  wheel.Schedule(T0 + S(5000), 3);
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(150))) == std::vector<uint64_t>{1});
  CHECK(AdvanceTo(wheel, T0 + S(50)).empty());  // backward
  CHECK(wheel.now() == T0 + S(150));            // keeps its time
  CHECK(AdvanceTo(wheel, T0 - S(10 * kDay)).empty());
  CHECK(wheel.size() == 2);
  CHECK(AdvanceTo(wheel, T0 + S(199)).empty());
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(200))) == std::vector<uint64_t>{2});
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(5000))) == std::vector<uint64_t>{3});
}

TEST_CASE("A timer scheduled at or before the wheel's time fires at the next Advance") {
  TimerWheel wheel(T0 + S(100));
  wheel.Schedule(T0 + S(100), 2);   // exactly now
  wheel.Schedule(T0 - S(kDay), 0);  // a day ago
  wheel.Schedule(T0 + S(99), 1);    // a second ago
  wheel.Schedule(T0 + S(101), 3);   // the future
  CHECK(wheel.size() == 4);
  CHECK(*wheel.NextExpiry() == T0 + S(100));
  std::vector<Expired> expired = AdvanceTo(wheel, T0 + S(100));  // same instant
  CHECK(Offsets(expired) == std::vector<int64_t>{-kDay, 99, 100});
  CHECK(wheel.size() == 1);
  CHECK(*wheel.NextExpiry() == T0 + S(101));
}

TEST_CASE("A past timer fires at the next Advance even one that goes backward") {
  TimerWheel wheel(T0);
  REQUIRE(AdvanceTo(wheel, T0 + S(500)).empty());
  wheel.Schedule(T0 + S(300), 1);  // before now() = T0+500
  wheel.Schedule(T0 + S(600), 2);
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(100))) == std::vector<uint64_t>{1});
  CHECK(AdvanceTo(wheel, T0 + S(599)).empty());
  CHECK(Payloads(AdvanceTo(wheel, T0 + S(600))) == std::vector<uint64_t>{2});
}

TEST_CASE("A past timer with a 5 s tick fires at the next Advance, in order") {
  // At T0+8 s the current tick began at T0+5 s; a timer for T0+7 s scheduled
  // now is already past and does not wait for T0+10 s.
  TimerWheel wheel(T0, {.tick = S(5)});
  wheel.Schedule(T0 + S(6), 6);  // due at T0+10 s
  REQUIRE(AdvanceTo(wheel, T0 + S(8)).empty());
  wheel.Schedule(T0 + S(7), 7);
  CHECK(*wheel.NextExpiry() == T0 + S(8));
  CHECK(Offsets(AdvanceTo(wheel, T0 + S(8))) == std::vector<int64_t>{7});
  wheel.Schedule(T0 + S(8), 8);
  CHECK(Offsets(AdvanceTo(wheel, T0 + S(10))) == std::vector<int64_t>{6, 8});
}

TEST_CASE("NextExpiry is empty for an empty wheel") {
  TimerWheel wheel(T0);
  CHECK_FALSE(wheel.NextExpiry().has_value());
  const TimerWheel::TimerId id = wheel.Schedule(T0 + S(10), 1);
  CHECK(wheel.NextExpiry().has_value());
  wheel.Cancel(id);
  CHECK_FALSE(wheel.NextExpiry().has_value());
}

TEST_CASE("NextExpiry is the earliest timer's instant on level 0") {
  TimerWheel wheel(T0);
  wheel.Schedule(T0 + S(40), 2);
  wheel.Schedule(T0 + S(30), 1);
  wheel.Schedule(T0 + S(9000), 3);
  CHECK(*wheel.NextExpiry() == T0 + S(30));
  AdvanceTo(wheel, T0 + S(30));
  CHECK(*wheel.NextExpiry() == T0 + S(40));
}

TEST_CASE("NextExpiry is never later than the earliest timer, on any level") {
  // An owner that sleeps until NextExpiry and then advances reaches each timer
  // exactly at its instant, after a few wake-ups to cascade (at most one per level).
  for (int64_t offset : {int64_t{63}, int64_t{64}, int64_t{100}, int64_t{4097},
                         int64_t{300000}, 45 * kDay, 7 * kYear, 3000 * kYear}) {
    INFO("timer at T0+" << offset << " s");
    TimerWheel wheel(T0 + S(11));
    wheel.Schedule(T0 + S(offset), 1);
    int wakeups = 0;
    std::vector<Expired> expired;
    while (wheel.size() > 0 && wakeups < 20) {
      const Instant wake = *wheel.NextExpiry();
      REQUIRE(wake <= T0 + S(offset));
      REQUIRE(wake > wheel.now());
      wheel.Advance(wake, expired);
      ++wakeups;
    }
    CHECK(wakeups <= 8);
    REQUIRE(expired.size() == 1);
    CHECK(wheel.now() == T0 + S(offset));  // woken exactly at the timer
  }
}

TEST_CASE("size counts pending timers") {
  TimerWheel wheel(T0);
  CHECK(wheel.size() == 0);
  const TimerWheel::TimerId a = wheel.Schedule(T0 + S(10), 1);
  wheel.Schedule(T0 + S(20), 2);
  wheel.Schedule(T0 - S(20), 3);
  CHECK(wheel.size() == 3);
  wheel.Cancel(a);
  CHECK(wheel.size() == 2);
  AdvanceTo(wheel, T0 + S(5));
  CHECK(wheel.size() == 1);
  AdvanceTo(wheel, T0 + S(20));
  CHECK(wheel.size() == 0);
}

TEST_CASE("The slab is reused: memory stays at its peak") {
  TimerWheel wheel(T0);
  wheel.Reserve(1000);
  const size_t reserved = wheel.MemoryBytes();
  CHECK(reserved >= 1000 * 32);
  std::vector<Expired> expired;
  expired.reserve(1000);
  for (int round = 0; round < 10; ++round) {
    for (int i = 0; i < 1000; ++i) {
      wheel.Schedule(wheel.now() + S(1 + i % 500), static_cast<uint64_t>(i));
    }
    expired.clear();
    wheel.Advance(wheel.now() + S(500), expired);
    CHECK(expired.size() == 1000);
  }
  CHECK(wheel.MemoryBytes() == reserved);
}

// The reference: a multimap from instant to timer, with the same tick rule.
namespace {

struct ReferenceTimer {
  uint64_t payload;
  bool due;  // scheduled at or before the wheel's time: fires at the next Advance
};

class ReferenceWheel {
 public:
  ReferenceWheel(Instant now, int64_t tick) : now_(now), tick_(tick) {}

  void Schedule(Instant when, uint64_t payload, TimerWheel::TimerId id) {
    timers_.emplace(id, std::pair{when, ReferenceTimer{payload, when <= now_}});
  }
  bool Cancel(TimerWheel::TimerId id) { return timers_.erase(id) == 1; }

  // Sorted by (when, payload).
  std::vector<std::pair<int64_t, uint64_t>> Advance(Instant now) {
    now_ = std::max(now_, now);
    std::vector<std::pair<int64_t, uint64_t>> fired;
    for (auto it = timers_.begin(); it != timers_.end();) {
      const auto& [when, timer] = it->second;
      if (timer.due || Boundary(when) <= now_) {
        fired.emplace_back((when - T0).count(), timer.payload);
        it = timers_.erase(it);
      } else {
        ++it;
      }
    }
    std::sort(fired.begin(), fired.end());
    return fired;
  }

  // The earliest instant a pending timer can fire at.
  std::optional<Instant> Earliest() const {
    std::optional<Instant> earliest;
    for (const auto& [id, entry] : timers_) {
      const Instant at = entry.second.due ? now_ : Boundary(entry.first);
      if (!earliest || at < *earliest) earliest = at;
    }
    return earliest;
  }

  size_t size() const { return timers_.size(); }

 private:
  // The first multiple of the tick since the epoch at or after `when`.
  Instant Boundary(Instant when) const {
    const int64_t t = when.time_since_epoch().count();
    const int64_t down = t - (((t % tick_) + tick_) % tick_);
    return Instant{Seconds{down == t ? t : down + tick_}};
  }

  Instant now_;
  int64_t tick_;
  std::map<TimerWheel::TimerId, std::pair<Instant, ReferenceTimer>> timers_;
};

uint64_t DefaultSeed() {
  const char* env = std::getenv("SLAMON_WHEEL_SEED");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 20260101;
}

}  // namespace

TEST_CASE("Random schedule, cancel and advance agree with a multimap") {
  // Set SLAMON_WHEEL_SEED to replay a failure; each case reports its seed.
  const int64_t tick = GENERATE(int64_t{1}, int64_t{5});
  const uint64_t round = GENERATE(range(uint64_t{0}, uint64_t{8}));
  const uint64_t seed = DefaultSeed() + round;
  INFO("seed " << seed << ", tick " << tick << " s");
  std::mt19937_64 rng(seed);
  auto uniform = [&rng](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };

  const Instant start = T0 + S(uniform(0, 100000));
  TimerWheel wheel(start, {.tick = S(tick)});
  ReferenceWheel reference(start, tick);
  std::vector<TimerWheel::TimerId> ids;  // every id issued, pending or not
  uint64_t next_payload = 0;
  Instant now = start;  // the latest instant passed, possibly backward

  // An offset from the wheel's time: past, near, around cascade boundaries,
  // days, years, beyond the top level.
  // Three instants many timers pile onto, so slots hold several chunks.
  const Instant crowds[] = {start + S(3 * tick), start + S(5000 * tick),
                            start + S(300000 * tick)};
  auto random_offset = [&]() -> int64_t {
    switch (uniform(0, 8)) {
      case 8: {
        const Instant crowd = crowds[uniform(0, 2)] + S(uniform(0, 2 * tick));
        return (crowd - wheel.now()).count();
      }
      case 0:
        return uniform(-5000, 0);
      case 1:
        return uniform(1, 130);
      case 2: {
        const int64_t powers[] = {64, 4096, 262144, 16777216};
        return powers[uniform(0, 3)] * tick + uniform(-70, 70) * tick;
      }
      case 3:
        return uniform(1, 10 * kDay);
      case 4:
        return uniform(1, 400 * kDay);
      case 5:
        return uniform(1, 50 * kYear);
      case 6:
        return uniform(2000 * kYear, 8000 * kYear);
      default:
        return uniform(1, 5000);
    }
  };
  auto random_step = [&]() -> int64_t {
    switch (uniform(0, 9)) {
      case 0:
        return -uniform(1, 3 * kDay);  // backward
      case 1:
        return uniform(1, 2 * kDay);
      case 2:
        return uniform(30 * kDay, 3 * kYear);  // a big jump
      case 3:
        return uniform(500 * kYear, 1500 * kYear);  // a huge one
      case 4:
        return 0;
      default:
        return uniform(1, 300);
    }
  };

  for (int op = 0; op < 3000; ++op) {
    INFO("operation " << op << ", wheel time T0+" << (wheel.now() - T0).count() << " s");
    const int64_t kind = uniform(0, 9);
    if (kind <= 4) {
      const Instant when = wheel.now() + S(random_offset());
      const uint64_t payload = next_payload++;
      const TimerWheel::TimerId id = wheel.Schedule(when, payload);
      REQUIRE(id != TimerWheel::kNoTimer);
      reference.Schedule(when, payload, id);
      ids.push_back(id);
    } else if (kind <= 6) {
      if (ids.empty()) continue;
      // Mostly one cancel; sometimes a burst (stale ids included).
      const int64_t count = uniform(0, 15) == 0 ? 100 : 1;
      for (int64_t k = 0; k < count; ++k) {
        const TimerWheel::TimerId id =
            ids[static_cast<size_t>(uniform(0, static_cast<int64_t>(ids.size()) - 1))];
        REQUIRE(wheel.Cancel(id) == reference.Cancel(id));
      }
    } else {
      now = now + S(random_step());
      if (uniform(0, 3) == 0) now = wheel.now() + S(uniform(-100, 100));
      std::vector<Expired> expired;
      wheel.Advance(now, expired);
      REQUIRE(std::is_sorted(
          expired.begin(), expired.end(),
          [](const Expired& a, const Expired& b) { return a.when < b.when; }));
      std::vector<std::pair<int64_t, uint64_t>> got;
      for (const Expired& e : expired) got.emplace_back((e.when - T0).count(), e.payload);
      std::sort(got.begin(), got.end());
      REQUIRE(got == reference.Advance(now));
    }
    REQUIRE(wheel.size() == reference.size());
    const std::optional<Instant> earliest = reference.Earliest();
    const std::optional<Instant> next = wheel.NextExpiry();
    REQUIRE(next.has_value() == earliest.has_value());
    if (next) {
      REQUIRE(*next <= *earliest);  // never later than the true earliest expiry
      REQUIRE(*next >= wheel.now());
    }
  }
  // Drain: everything left fires, each exactly once.
  std::vector<Expired> expired;
  wheel.Advance(wheel.now() + S(20000 * kYear), expired);
  CHECK(expired.size() == reference.Advance(wheel.now()).size());
  CHECK(wheel.size() == 0);
}
