#include "evaluate/ticket_line.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <string_view>

#include "instant/instant.h"

namespace slamon {
namespace {

class LineWriter {
 public:
  explicit LineWriter(std::string& out) : out_(out) {}

  // `"key":` after a comma unless first in its object.
  LineWriter& Key(std::string_view key) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += key;  // keys are the writer's own plain names
    out_ += "\":";
    return *this;
  }
  void Open() {
    out_ += '{';
    first_ = true;
  }
  void Close() {
    out_ += '}';
    first_ = false;
  }

  void String(std::string_view text) {
    for (const char c : text) {
      const auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte >= 0x7f || c == '"' || c == '\\') {
        // Escapes and other bytes: as nlohmann::json writes them.
        out_ += nlohmann::json(std::string(text)).dump();
        return;
      }
    }
    out_ += '"';
    out_ += text;
    out_ += '"';
  }
  void Integer(int64_t n) {
    char text[24];
    auto end = std::to_chars(text, text + sizeof text, n).ptr;
    out_.append(text, end);
  }
  void Bool(bool b) { out_ += b ? "true" : "false"; }
  void Null() { out_ += "null"; }
  void Time(Instant t) {
    // FormatInstant's "%04d-%02u-%02uT%02d:%02d:%02dZ", by hand for years
    // 0..9999 (every other year through FormatInstant itself).
    const auto day = date::floor<date::days>(t);
    const date::year_month_day ymd{day};
    const int year = static_cast<int>(ymd.year());
    if (year < 0 || year > 9999) {
      out_ += '"';
      out_ += FormatInstant(t);
      out_ += '"';
      return;
    }
    const auto seconds = (t - day).count();  // 0 .. 86399
    char text[22] = "\"0000-00-00T00:00:00Z";
    auto put = [&](int at, int width, int64_t value) {
      for (int i = at + width - 1; i >= at; --i, value /= 10)
        text[i] = static_cast<char>('0' + value % 10);
    };
    put(1, 4, year);
    put(6, 2, static_cast<unsigned>(ymd.month()));
    put(9, 2, static_cast<unsigned>(ymd.day()));
    put(12, 2, seconds / 3600);
    put(15, 2, seconds / 60 % 60);
    put(18, 2, seconds % 60);
    out_.append(text, 21);
    out_ += '"';
  }
  void TimeOrNull(const std::optional<Instant>& t) {
    if (t)
      Time(*t);
    else
      Null();
  }
  template <typename Int>
  void IntegerOrNull(const std::optional<Int>& n) {
    if (n)
      Integer(static_cast<int64_t>(*n));
    else
      Null();
  }

 private:
  std::string& out_;
  bool first_ = true;
};

void WriteClock(LineWriter& w, const Clock& clock) {
  w.Open();
  w.Key("status").String(ToString(clock.status));
  w.Key("deadline").TimeOrNull(clock.deadline);
  w.Key("stopped_at").TimeOrNull(clock.stopped_at);
  w.Key("breached").Bool(clock.breached);
  w.Key("breached_at").TimeOrNull(clock.breached_at);
  w.Key("elapsed_seconds").Integer(clock.elapsed.count());
  w.Key("budget_seconds")
      .IntegerOrNull(clock.budget ? std::optional(clock.budget->count()) : std::nullopt);
  w.Key("at_risk").Bool(clock.at_risk);
  w.Close();
}

}  // namespace

void AppendTicketLine(std::string& out, const TicketEvaluation& t,
                      const std::optional<TicketBilling>& billing) {
  LineWriter w(out);
  w.Open();
  w.Key("type").String("ticket");
  w.Key("ticket").String(t.ticket);
  w.Key("partner").String(t.partner);
  w.Key("severity").String(t.severity);
  w.Key("supported").Bool(t.supported);
  w.Key("outdated").Bool(t.outdated);
  w.Key("fee").Bool(t.fee);
  w.Key("incidents").Integer(t.incidents);
  w.Key("billable_incidents").Integer(billing ? billing->billable_incidents : 0);
  w.Key("quota_period_start")
      .TimeOrNull(billing ? std::optional(billing->period_start) : std::nullopt);
  w.Key("clocks");
  w.Open();
  for (TargetName target : kTargetNames) {
    w.Key(ToString(target));
    WriteClock(w, t[target]);
  }
  w.Close();
  w.Key("state").String(ToString(t.state));
  w.Key("waiting").Bool(t.waiting);
  w.Key("opened_at").Time(t.opened_at);
  w.Key("product").String(t.product);
  w.Key("version").String(t.version);
  w.Key("defect_confirmed").Bool(t.defect_confirmed);
  w.Key("new_defect").Bool(t.new_defect);
  w.Close();
}

}  // namespace slamon
