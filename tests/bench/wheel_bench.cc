// wheel_bench: nanoseconds per timer for TimerWheel Schedule, Cancel and expiry,
// at 1M and 10M pending timers, and the wheel's memory per timer.
//
// Timers are spread uniformly over the 30 days after T0 (random whole seconds,
// fixed seed). For each size, in this order:
//   schedule (new slab)         N Schedule calls into an empty wheel (the slab
//                               grows: page faults included);
//   cancel (schedule order)     Cancel of all N, ids in the order issued;
//   schedule (reused nodes)     N Schedule calls reusing the nodes freed in order;
//   cancel (random order)       Cancel of all N, ids shuffled (each id read
//                               sequentially from an array, as an owner keeps it
//                               beside its clock: only the wheel's access is random);
//   schedule (scattered nodes)  N Schedule calls reusing the nodes freed at random;
//   schedule (sparse free)      one Advance to T0+30d/16 fires about N/16 timers,
//                               which frees one node in 16 at random places; then
//                               as many Schedule calls into those nodes;
//   expire (60 s steps)         Advance on to T0+30d in 60 s steps: time over
//                               all steps / timers expired (the caller's vector
//                               is cleared after each step, as an event loop would).
// Each figure is the best of `kRepeats` runs. For scale, the memory latency line
// times a chain of dependent reads at random places in N 32-byte records: a
// cancel at a random place cannot be cheaper than a fraction of it.
// Memory: TimerWheel::MemoryBytes() at the end (capacities never shrink, so this
// is the peak) per timer, and the process's peak resident set (VmHWM, which
// includes the benchmark's own arrays).
//
// Plain std::chrono::steady_clock timing; not a ctest test. Run it on an otherwise
// idle machine, in a Release or RelWithDebInfo build:
//   ./build/tests/bench/wheel_bench [timers...]   (default: 1000000 10000000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "instant/instant.h"
#include "wheel/timer_wheel.h"

namespace {

using slamon::Instant;
using slamon::Seconds;
using slamon::TimerWheel;
using Clock = std::chrono::steady_clock;

const Instant T0 = Instant{Seconds{1767225600}};  // 2026-01-01T00:00:00Z
constexpr int64_t kSpan = 30 * 86400;
constexpr int64_t kStep = 60;

double NanosPer(Clock::time_point begin, size_t count) {
  const std::chrono::duration<double, std::nano> elapsed = Clock::now() - begin;
  return elapsed.count() / static_cast<double>(count);
}

// The process's peak resident set in bytes (Linux), 0 if unknown.
size_t PeakRss() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0)
      return std::strtoull(line.c_str() + 6, nullptr, 10) * 1024;
  }
  return 0;
}

constexpr int kRepeats = 3;

struct Figures {
  double schedule_new, cancel_in_order, schedule_reused, cancel_random,
      schedule_scattered, schedule_sparse, expire;
  size_t wheel_bytes;
  bool ok;  // false if the wheel lost or invented a timer
};

Figures RunOnce(size_t n) {
  std::mt19937_64 rng(n);
  std::uniform_int_distribution<int64_t> offset(1, kSpan);
  std::vector<Instant> whens(n);
  for (Instant& when : whens) when = T0 + Seconds{offset(rng)};
  std::vector<TimerWheel::TimerId> ids(n);
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<TimerWheel::TimerId> shuffled_ids(n);
  Figures f{};

  TimerWheel wheel(T0);
  auto begin = Clock::now();
  for (size_t i = 0; i < n; ++i) ids[i] = wheel.Schedule(whens[i], i);
  f.schedule_new = NanosPer(begin, n);

  begin = Clock::now();
  size_t cancelled = 0;
  for (TimerWheel::TimerId id : ids) cancelled += wheel.Cancel(id) ? 1 : 0;
  f.cancel_in_order = NanosPer(begin, n);

  begin = Clock::now();
  for (size_t i = 0; i < n; ++i) ids[i] = wheel.Schedule(whens[i], i);
  f.schedule_reused = NanosPer(begin, n);

  for (size_t i = 0; i < n; ++i) shuffled_ids[i] = ids[order[i]];
  begin = Clock::now();
  for (TimerWheel::TimerId id : shuffled_ids) cancelled += wheel.Cancel(id) ? 1 : 0;
  f.cancel_random = NanosPer(begin, n);

  begin = Clock::now();
  for (size_t i = 0; i < n; ++i) ids[i] = wheel.Schedule(whens[i], i);
  f.schedule_scattered = NanosPer(begin, n);

  std::vector<TimerWheel::Expired> expired;
  size_t fired = 0;
  uint64_t checksum = 0;
  const int64_t sparse_at = kSpan / 16;
  wheel.Advance(T0 + Seconds{sparse_at}, expired);
  fired += expired.size();
  for (const TimerWheel::Expired& e : expired) checksum += e.payload;
  const size_t sparse = expired.size();
  std::uniform_int_distribution<int64_t> later(sparse_at + 1, kSpan);
  for (size_t i = 0; i < sparse; ++i) whens[i] = T0 + Seconds{later(rng)};
  begin = Clock::now();
  for (size_t i = 0; i < sparse; ++i) wheel.Schedule(whens[i], n + i);
  f.schedule_sparse = NanosPer(begin, sparse);

  size_t expired_in_steps = 0;
  begin = Clock::now();
  for (int64_t t = sparse_at + kStep; t <= kSpan; t += kStep) {
    expired.clear();
    wheel.Advance(T0 + Seconds{t}, expired);
    expired_in_steps += expired.size();
    for (const TimerWheel::Expired& e : expired) checksum += e.payload;
  }
  f.expire = NanosPer(begin, expired_in_steps);
  fired += expired_in_steps;
  f.wheel_bytes = wheel.MemoryBytes();

  const uint64_t total = n + sparse;  // payloads 0 .. total - 1
  const uint64_t expected = total * (total - 1) / 2;
  f.ok =
      cancelled == 2 * n && fired == total && checksum == expected && wheel.size() == 0;
  if (!f.ok) {
    std::printf("  MISMATCH: cancelled %zu, fired %zu, pending %zu\n", cancelled, fired,
                wheel.size());
  }
  return f;
}

// Volatile globals: the records escape before the clock is read and the chain's
// end is stored before it is read again, so the timed loop stays in between.
const void* volatile chase_records = nullptr;
volatile uint64_t chase_end = 0;

// Nanoseconds per read of a chain of dependent reads at random places in n
// 32-byte records: the memory latency a random Cancel runs into.
double MemoryLatency(size_t n) {
  struct Record {
    uint64_t next;
    uint64_t pad[3];
  };
  std::vector<Record> records(n);
  std::vector<uint64_t> cycle(n);
  for (size_t i = 0; i < n; ++i) cycle[i] = i;
  std::mt19937_64 rng(7);
  std::shuffle(cycle.begin(), cycle.end(), rng);
  for (size_t i = 0; i < n; ++i) records[cycle[i]].next = cycle[(i + 1) % n];
  uint64_t at = cycle[0];
  chase_records = records.data();
  const auto begin = Clock::now();
  for (size_t i = 0; i < n; ++i) at = records[at].next;
  chase_end = at;
  return NanosPer(begin, n);
}

bool Run(size_t n) {
  Figures best = RunOnce(n);
  for (int r = 1; r < kRepeats && best.ok; ++r) {
    const Figures f = RunOnce(n);
    best.schedule_new = std::min(best.schedule_new, f.schedule_new);
    best.cancel_in_order = std::min(best.cancel_in_order, f.cancel_in_order);
    best.schedule_reused = std::min(best.schedule_reused, f.schedule_reused);
    best.cancel_random = std::min(best.cancel_random, f.cancel_random);
    best.schedule_scattered = std::min(best.schedule_scattered, f.schedule_scattered);
    best.schedule_sparse = std::min(best.schedule_sparse, f.schedule_sparse);
    best.expire = std::min(best.expire, f.expire);
    best.ok = f.ok;
  }
  const double per = static_cast<double>(n);
  std::printf("%zu timers over 30 days (best of %d runs)\n", n, kRepeats);
  std::printf("  schedule (new slab)         %6.1f ns/timer\n", best.schedule_new);
  std::printf("  cancel (schedule order)     %6.1f ns/timer\n", best.cancel_in_order);
  std::printf("  schedule (reused nodes)     %6.1f ns/timer\n", best.schedule_reused);
  std::printf("  cancel (random order)       %6.1f ns/timer\n", best.cancel_random);
  std::printf("  schedule (scattered nodes)  %6.1f ns/timer\n", best.schedule_scattered);
  std::printf("  schedule (sparse free)      %6.1f ns/timer\n", best.schedule_sparse);
  std::printf("  expire (60 s steps)         %6.1f ns/timer\n", best.expire);
  std::printf("  memory latency (reference)  %6.1f ns/dependent random read\n",
              MemoryLatency(n));
  std::printf("  wheel memory at peak        %6.1f bytes/timer (%zu bytes)\n",
              static_cast<double>(best.wheel_bytes) / per, best.wheel_bytes);
  const size_t rss = PeakRss();
  std::printf(
      "  process peak RSS            %6.1f bytes/timer (%zu bytes, bench arrays too)\n",
      static_cast<double>(rss) / per, rss);
  return best.ok;
}

}  // namespace

int main(int argc, char** argv) {
  std::printf("goals: schedule and cancel <= 30 ns, expire <= 100 ns per timer\n");
  std::vector<size_t> sizes;
  for (int i = 1; i < argc; ++i) sizes.push_back(std::strtoull(argv[i], nullptr, 10));
  if (sizes.empty()) sizes = {1'000'000, 10'000'000};
  bool ok = true;
  for (size_t n : sizes) {
    if (n == 0) {
      std::fprintf(stderr, "usage: %s [timers > 0 ...]\n", argv[0]);
      return 2;
    }
    ok = Run(n) && ok;
  }
  return ok ? 0 : 1;
}
