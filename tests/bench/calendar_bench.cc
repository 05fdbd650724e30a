// calendar_bench: how long Calendar::AddWorkingTime and Calendar::WorkingTime take
// for a two-year budget on a business-hours calendar, and Calendar::AddWorkingDays
// for `d` budgets.
//
// Calendar: Europe/Berlin, Monday to Friday 09:00-17:00, holidays Jan 1, May 1,
// Oct 3, Dec 25, Dec 26 every year plus two dated ones. Two working-time budgets:
//   "2y (730x24h)"  = 17520 working hours (about 8.4 calendar years of 8-hour
//                     days); `within: 2y` now means 730 working days instead;
//   "2 cal. years"  = the working time of two calendar years on this calendar
//                     (about 4000 h), so the span walked is two years.
// WorkingTime is measured over the span [from, deadline) each budget produces.
// Working days: 15 (the policy's "15 business days") and 500 (two years and more).
//
// Plain std::chrono::steady_clock timing; not a ctest test. Run it on an otherwise
// idle machine, in a Release or RelWithDebInfo build:
//   ./build/tests/bench/calendar_bench [iterations]
#include <date/tz.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "calendar/calendar.h"
#include "instant/instant.h"

namespace {

using slamon::Calendar;
using slamon::Holiday;
using slamon::Instant;
using slamon::Seconds;
using Clock = std::chrono::steady_clock;

constexpr Seconds H(int hours) { return Seconds{hours * 3600}; }

Calendar BerlinOffice() {
  Calendar::Week week;
  for (int d = 0; d < 5; ++d) week[d] = {{H(9), H(17)}};
  std::vector<Holiday> holidays = {
      Holiday{std::nullopt, 1, 1},   Holiday{std::nullopt, 5, 1},
      Holiday{std::nullopt, 10, 3},  Holiday{std::nullopt, 12, 25},
      Holiday{std::nullopt, 12, 26}, Holiday{2026, 4, 3},
      Holiday{2027, 3, 26}};
  return Calendar(date::locate_zone("Europe/Berlin"), week, std::move(holidays));
}

// Start instants spread over a year, at odd times of day (some inside, most outside
// working hours), so no two calls do identical work.
std::vector<Instant> Starts() {
  std::vector<Instant> starts;
  Instant t = Instant{date::sys_days{date::year{2026} / 1 / 5}} + H(7);
  for (int i = 0; i < 64; ++i) {
    starts.push_back(t);
    t += Seconds{5 * 86400 + 5 * 3600 + 17 * 60 + 13};
  }
  return starts;
}

struct Result {
  double micros_per_call;
  long long checksum;  // keeps the optimiser from dropping the calls
};

Result TimeAdd(const Calendar& c, const std::vector<Instant>& starts, Seconds budget,
               int iterations) {
  long long checksum = 0;
  auto begin = Clock::now();
  for (int i = 0; i < iterations; ++i) {
    const Instant from = starts[static_cast<size_t>(i) % starts.size()];
    std::optional<Instant> deadline = c.AddWorkingTime(from, budget);
    checksum += deadline ? deadline->time_since_epoch().count() : -1;
  }
  std::chrono::duration<double, std::micro> elapsed = Clock::now() - begin;
  return {elapsed.count() / iterations, checksum};
}

Result TimeWorking(const Calendar& c, const std::vector<Instant>& starts,
                   const std::vector<Instant>& ends, int iterations) {
  long long checksum = 0;
  auto begin = Clock::now();
  for (int i = 0; i < iterations; ++i) {
    const size_t k = static_cast<size_t>(i) % starts.size();
    checksum += c.WorkingTime(starts[k], ends[k]).count();
  }
  std::chrono::duration<double, std::micro> elapsed = Clock::now() - begin;
  return {elapsed.count() / iterations, checksum};
}

// Measures one budget; returns false if the two functions disagree.
bool Run(const char* label, const Calendar& c, const std::vector<Instant>& starts,
         Seconds budget, int iterations) {
  std::vector<Instant> ends;
  for (Instant from : starts) {
    std::optional<Instant> deadline = c.AddWorkingTime(from, budget);
    if (!deadline || c.WorkingTime(from, *deadline) != budget) {
      std::printf("%s: AddWorkingTime and WorkingTime disagree from %s\n", label,
                  slamon::FormatInstant(from).c_str());
      return false;
    }
    ends.push_back(*deadline);
  }
  const double span_days = static_cast<double>((ends[0] - starts[0]).count()) / 86400.0;

  // Warm up (zone caches, branch predictors), then measure.
  TimeAdd(c, starts, budget, iterations / 10 + 1);
  Result add = TimeAdd(c, starts, budget, iterations);
  TimeWorking(c, starts, ends, iterations / 10 + 1);
  Result work = TimeWorking(c, starts, ends, iterations);

  std::printf("%-14s budget %6lld h, span %7.1f days (%s -> %s)\n", label,
              static_cast<long long>(budget.count() / 3600), span_days,
              slamon::FormatInstant(starts[0]).c_str(),
              slamon::FormatInstant(ends[0]).c_str());
  std::printf("  AddWorkingTime  %10.2f us/call   (checksum %lld)\n", add.micros_per_call,
              add.checksum);
  std::printf("  WorkingTime     %10.2f us/call   (checksum %lld)\n",
              work.micros_per_call, work.checksum);
  return true;
}

// AddWorkingDays, and the engine's cost of a `d` budget: the days plus the
// working time they hold (WorkingTime over the same span).
void RunDays(const Calendar& c, const std::vector<Instant>& starts, int64_t days,
             int iterations) {
  auto measure = [&](bool with_budget, int n) {
    long long checksum = 0;
    auto begin = Clock::now();
    for (int i = 0; i < n; ++i) {
      const Instant from = starts[static_cast<size_t>(i) % starts.size()];
      std::optional<Instant> deadline = c.AddWorkingDays(from, days);
      checksum += deadline ? deadline->time_since_epoch().count() : -1;
      if (with_budget && deadline) checksum += c.WorkingTime(from, *deadline).count();
    }
    std::chrono::duration<double, std::micro> elapsed = Clock::now() - begin;
    return Result{elapsed.count() / n, checksum};
  };
  measure(false, iterations / 10 + 1);
  Result days_only = measure(false, iterations);
  Result with_budget = measure(true, iterations);
  std::printf("%lld working days\n", static_cast<long long>(days));
  std::printf("  AddWorkingDays  %10.2f us/call   (checksum %lld)\n",
              days_only.micros_per_call, days_only.checksum);
  std::printf("  + WorkingTime   %10.2f us/call   (checksum %lld)\n",
              with_budget.micros_per_call, with_budget.checksum);
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 2000;
  if (iterations <= 0) {
    std::fprintf(stderr, "usage: %s [iterations > 0]\n", argv[0]);
    return 2;
  }
  const Calendar c = BerlinOffice();
  const std::vector<Instant> starts = Starts();

  // Working time of two calendar years from the first start, as a budget.
  const Seconds two_calendar_years =
      c.WorkingTime(starts[0], starts[0] + Seconds{730 * 86400});

  std::printf(
      "calendar: Europe/Berlin Mon-Fri 09:00-17:00, 5 yearly + 2 dated holidays; "
      "%d calls per figure, %zu start instants\n",
      iterations, starts.size());
  bool ok = Run("2y (730x24h)", c, starts, Seconds{730 * 86400}, iterations);
  ok = Run("2 cal. years", c, starts, two_calendar_years, iterations) && ok;
  RunDays(c, starts, 15, iterations);
  RunDays(c, starts, 500, iterations);
  return ok ? 0 : 1;
}
