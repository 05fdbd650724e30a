#include "instant/instant.h"

#include <date/date.h>

#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>

namespace slamon {
namespace {

// Reads exactly `digits` decimal digits at text[pos...]; advances pos.
std::optional<int> ReadDigits(std::string_view text, size_t& pos, size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = 0; i < digits; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += digits;
  return value;
}

bool Expect(std::string_view text, size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

Status Fail(std::string why) { return Status::Error(std::move(why)); }

// `text` in double quotes, for error messages. Built by appending:
// `"\"" + std::string(text) + "\""` makes GCC 12 at -O3 warn a false
// -Wrestrict inside std::string's insert.
std::string Quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  out += text;
  out += '"';
  return out;
}

}  // namespace

Result<Instant> ParseInstant(std::string_view text) {
  const std::string quoted = Quoted(text);
  size_t pos = 0;
  auto year = ReadDigits(text, pos, 4);
  // A fifth digit: a year past 9999 as FormatInstant writes it (a deadline
  // after a late input time), up to date's last year, 32767.
  if (year && pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
    auto last = ReadDigits(text, pos, 1);
    year = *year * 10 + *last;
    if (*year > 32767) return Fail("not a date-time: " + quoted);
  }
  if (!year || !Expect(text, pos, '-')) return Fail("not a date-time: " + quoted);
  auto month = ReadDigits(text, pos, 2);
  if (!month || !Expect(text, pos, '-')) return Fail("not a date-time: " + quoted);
  auto day = ReadDigits(text, pos, 2);
  if (!day) return Fail("not a date-time: " + quoted);
  if (pos == text.size()) {
    return Fail("date-time " + quoted + " has no time of day and no UTC offset");
  }
  if (!Expect(text, pos, 'T') && !Expect(text, pos, 't') && !Expect(text, pos, ' ')) {
    return Fail("not a date-time: " + quoted);
  }
  auto hour = ReadDigits(text, pos, 2);
  if (!hour || !Expect(text, pos, ':')) return Fail("not a date-time: " + quoted);
  auto minute = ReadDigits(text, pos, 2);
  if (!minute) return Fail("not a date-time: " + quoted);
  int second = 0;
  if (Expect(text, pos, ':')) {
    auto s = ReadDigits(text, pos, 2);
    if (!s) return Fail("not a date-time: " + quoted);
    second = *s;
    if (Expect(text, pos, '.') || Expect(text, pos, ',')) {
      size_t start = pos;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])))
        ++pos;
      if (pos == start) return Fail("not a date-time: " + quoted);
    }
  }
  int offset_seconds = 0;
  if (Expect(text, pos, 'Z') || Expect(text, pos, 'z')) {
    offset_seconds = 0;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    auto oh = ReadDigits(text, pos, 2);
    if (!oh) return Fail("bad UTC offset in " + quoted);
    int om = 0;
    if (pos < text.size()) {
      Expect(text, pos, ':');
      auto m = ReadDigits(text, pos, 2);
      if (!m) return Fail("bad UTC offset in " + quoted);
      om = *m;
    }
    if (*oh > 23 || om > 59) return Fail("bad UTC offset in " + quoted);
    offset_seconds = sign * (*oh * 3600 + om * 60);
  } else if (pos == text.size()) {
    return Fail("date-time " + quoted + " has no UTC offset (add Z or +HH:MM)");
  }
  if (pos != text.size()) return Fail("trailing characters in date-time " + quoted);

  date::year_month_day ymd{date::year{*year}, date::month{static_cast<unsigned>(*month)},
                           date::day{static_cast<unsigned>(*day)}};
  if (!ymd.ok()) return Fail("no such calendar date in " + quoted);
  if (*hour > 24 || *minute > 59 || second > 60 ||
      (*hour == 24 && (*minute != 0 || second != 0))) {
    return Fail("no such time of day in " + quoted);
  }
  if (second == 60) second = 59;  // a leap second is the last second of its minute
  Instant t = date::sys_days{ymd} + std::chrono::hours{*hour} +
              std::chrono::minutes{*minute} + Seconds{second} - Seconds{offset_seconds};
  return t;
}

Instant AddMonths(Instant t, int months) {
  auto day = date::floor<date::days>(t);
  date::year_month_day moved = date::year_month_day{day} + date::months{months};
  if (!moved.ok()) moved = moved.year() / moved.month() / date::last;
  return date::sys_days{moved} + (t - day);
}

Instant AddYears(Instant t, int years) { return AddMonths(t, 12 * years); }

std::string FormatInstant(Instant t) {
  // Hand-rolled: date::format builds an ostringstream per call, which
  // dominated `slamon evaluate`'s profile.
  auto day = date::floor<date::days>(t);
  date::year_month_day ymd{day};
  date::hh_mm_ss<Seconds> time{t - day};
  char text[32];
  int year = static_cast<int>(ymd.year());
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", year,
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return text;
}

Result<DaysAndTime> ParseDaysAndTime(std::string_view text) {
  const std::string quoted = Quoted(text);
  if (text == "0") return DaysAndTime{};
  if (text.empty()) return Status::Error("empty duration");
  struct Unit {
    std::string_view name;
    int64_t millis;
  };
  static constexpr Unit kUnits[] = {{"y", 365LL * 86400000},
                                    {"w", 7LL * 86400000},
                                    {"d", 86400000},
                                    {"h", 3600000},
                                    {"m", 60000},
                                    {"s", 1000},
                                    {"ms", 1}};
  int64_t days = 0;
  int64_t total_ms = 0;  // of the units h m s ms
  size_t pos = 0;
  size_t last_unit = 0;  // index into kUnits + 1 of the previous unit (order check)
  while (pos < text.size()) {
    size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos])))
      ++pos;
    if (pos == start) {
      return Status::Error("not a duration: " + quoted +
                           " (use e.g. 90s, 30m, 4h, 1d, 1h30m)");
    }
    int64_t number = 0;
    auto [ptr, ec] = std::from_chars(text.data() + start, text.data() + pos, number);
    if (ec != std::errc{} || number > 1000000000) {
      return Status::Error("duration out of range: " + quoted);
    }
    size_t unit_start = pos;
    while (pos < text.size() && std::isalpha(static_cast<unsigned char>(text[pos])))
      ++pos;
    std::string_view unit = text.substr(unit_start, pos - unit_start);
    size_t index = 0;
    while (index < std::size(kUnits) && kUnits[index].name != unit) ++index;
    if (index == std::size(kUnits)) {
      return Status::Error("not a duration: " + quoted + " (unknown unit \"" +
                           std::string(unit) + "\"; units are y w d h m s ms)");
    }
    if (index + 1 <= last_unit) {
      return Status::Error("not a duration: " + quoted +
                           " (units must go from largest to smallest)");
    }
    last_unit = index + 1;
    if (kUnits[index].millis % 86400000 == 0) {
      days += number * (kUnits[index].millis / 86400000);
    } else {
      total_ms += number * kUnits[index].millis;
    }
  }
  if (total_ms % 1000 != 0) {
    return Status::Error("duration " + quoted + " is not a whole number of seconds");
  }
  return DaysAndTime{days, Seconds{total_ms / 1000}};
}

Result<Seconds> ParseDuration(std::string_view text) {
  Result<DaysAndTime> parsed = ParseDaysAndTime(text);
  if (!parsed) return parsed.status();
  return Seconds{parsed->days * 86400} + parsed->time;
}

std::string FormatDuration(Seconds d) {
  int64_t s = d.count();
  if (s == 0) return "0s";
  std::string out;
  if (s < 0) {
    out = "-";
    s = -s;
  }
  const std::pair<int64_t, const char*> units[] = {
      {86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  for (auto [size, name] : units) {
    if (s >= size) {
      out += std::to_string(s / size) + name;
      s %= size;
    }
  }
  return out;
}

}  // namespace slamon
