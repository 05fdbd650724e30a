#include "metrics/sla_metrics.h"

#include <prometheus/client_metric.h>
#include <prometheus/metric_type.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace slamon {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

int64_t EpochSeconds(Instant t) { return t.time_since_epoch().count(); }

// A label value as it is (for Collect) and as the exposition writes it
// (backslash, double quote and line feed escaped), worked out once.
struct LabelText {
  std::string raw;
  std::string text;
};

LabelText Label(std::string_view raw) {
  LabelText label{std::string(raw), {}};
  label.text.reserve(raw.size());
  for (char c : raw) {
    if (c == '\n') {
      label.text += "\\n";
      continue;
    }
    if (c == '\\' || c == '"') label.text += '\\';
    label.text += c;
  }
  return label;
}

// The values one label has had: each keeps the number it got when first seen;
// sorted() gives the numbers in the order of the values (the exposition's).
class KnownValues {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  uint32_t Learn(const std::string& value) {
    auto [it, added] = numbers_.try_emplace(value, static_cast<uint32_t>(values_.size()));
    if (added) {
      values_.push_back(Label(value));
      auto at = std::lower_bound(
          sorted_.begin(), sorted_.end(), value,
          [&](uint32_t number, const std::string& v) { return values_[number].raw < v; });
      sorted_.insert(at, it->second);
    }
    return it->second;
  }
  size_t size() const { return values_.size(); }
  const LabelText& operator[](uint32_t number) const { return values_[number]; }
  const std::vector<uint32_t>& sorted() const { return sorted_; }

 private:
  std::vector<LabelText> values_;
  std::unordered_map<std::string, uint32_t> numbers_;
  std::vector<uint32_t> sorted_;
};

// The fixed labels' values, in the exposition's order (sorted by value).
template <typename Enum, size_t N>
std::array<std::pair<LabelText, Enum>, N> SortedLabels(const std::array<Enum, N>& all) {
  std::array<std::pair<LabelText, Enum>, N> out;
  for (size_t i = 0; i < N; ++i) out[i] = {Label(ToString(all[i])), all[i]};
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.first.raw < b.first.raw; });
  return out;
}

const auto& Targets() {
  static const auto targets = SortedLabels(kTargetNames);
  return targets;
}

const auto& States() {
  static const auto states = SortedLabels(kOpenClockStates);
  return states;
}

struct Labeled {
  std::string_view name;
  const LabelText* value;
};
using Labels = std::initializer_list<Labeled>;

// Builds prometheus-cpp families (Collect).
class FamilySink {
 public:
  explicit FamilySink(std::vector<MetricFamily>& out) : out_(out) {}
  void Begin(std::string_view name, std::string_view help, bool counter) {
    family_ = MetricFamily{};
    family_.name = name;
    family_.help = help;
    family_.type = counter ? MetricType::Counter : MetricType::Gauge;
  }
  void Series(Labels labels, int64_t value) {
    ClientMetric& metric = family_.metric.emplace_back();
    for (const Labeled& label : labels)
      metric.label.push_back({std::string(label.name), label.value->raw});
    (family_.type == MetricType::Counter ? metric.counter.value : metric.gauge.value) =
        static_cast<double>(value);
  }
  // A family without series is not shown (as prometheus-cpp's registry does).
  void End() {
    if (!family_.metric.empty()) out_.push_back(std::move(family_));
  }

 private:
  std::vector<MetricFamily>& out_;
  MetricFamily family_;
};

// Writes the exposition text (WriteText), byte for byte what
// prometheus::TextSerializer writes for FamilySink's families.
class TextSink {
 public:
  TextSink(std::string& text, std::vector<MetricsText::Family>& families)
      : text_(text), families_(families) {}
  void Begin(std::string_view name, std::string_view help, bool counter) {
    name_ = name;
    help_ = help;
    counter_ = counter;
    begin_ = text_.size();
    empty_ = true;
  }
  void Series(Labels labels, int64_t value) {
    if (empty_) {
      empty_ = false;
      text_ += "# HELP ";
      text_ += name_;
      text_ += ' ';
      text_ += help_;
      text_ += "\n# TYPE ";
      text_ += name_;
      text_ += counter_ ? " counter\n" : " gauge\n";
    }
    text_ += name_;
    if (labels.size() != 0) {
      char separator = '{';
      for (const Labeled& label : labels) {
        text_ += separator;
        text_ += label.name;
        text_ += "=\"";
        text_ += label.value->text;
        text_ += '"';
        separator = ',';
      }
      text_ += '}';
    }
    text_ += ' ';
    AppendValue(value);
    text_ += '\n';
  }
  void End() {
    if (!empty_) families_.push_back({name_, begin_, text_.size()});
  }

 private:
  // TextSerializer writes a double with precision 16 (%g): an integer below
  // 1e15 in magnitude is exactly its digits.
  void AppendValue(int64_t value) {
    char digits[32];
    char* end = digits;
    if (value > -1'000'000'000'000'000 && value < 1'000'000'000'000'000) {
      end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    } else {
      end += std::snprintf(digits, sizeof digits, "%.16g", static_cast<double>(value));
    }
    text_.append(digits, end);
  }

  std::string& text_;
  std::vector<MetricsText::Family>& families_;
  std::string_view name_;
  std::string_view help_;
  bool counter_ = false;
  size_t begin_ = 0;
  bool empty_ = true;
};

// A counter follows its figure: it adds what the figure grew by since the
// last time (0 for a new series); a figure that shrank leaves it alone, and
// its next growth is added again (docs/design.md §5: a later breach onset
// always counts).
struct Counter {
  int64_t counter = 0;  // the value shown
  int64_t seen = 0;     // the figure it last followed
  void Follow(int64_t figure) {
    if (figure > seen) counter += figure - seen;
    seen = figure;
  }
};

constexpr size_t kTargets = ScrapeFigures::kTargets;

}  // namespace

struct SlaMetrics::Known {
  KnownValues severities;
  KnownValues partners;
  KnownValues products;
  // The counters, by known number: breaches[partner][severity * 3 + target],
  // met[severity * 3 + target], fees[partner].
  std::vector<std::vector<Counter>> breaches;
  std::vector<std::pair<Counter, Counter>> met;  // late, on_time
  std::vector<Counter> fees;
  std::optional<ScrapeFigures> last;  // the source's last answer
  // The known numbers of `mapped`'s labels, by their numbers there.
  std::shared_ptr<const ScrapeLabels> mapped;
  std::vector<uint32_t> severity_of;
  std::vector<uint32_t> partner_of;
  std::vector<uint32_t> product_of;
  size_t text_size = 0;  // the last text's, to reserve the next

  void Resize();
  // Keeps a scrape's figures (none: the last ones again), learns and marks
  // them; what to emit.
  const ScrapeFigures& Take(std::optional<ScrapeFigures> figures);
  void Learn(const ScrapeFigures& figures);
  void Mark(const ScrapeFigures& figures);
  template <typename Sink>
  void Emit(const ScrapeFigures& figures, Sink& sink) const;
  template <typename Sink>
  void Clocks(const ScrapeFigures& figures, Sink& sink) const;
  template <typename Sink>
  void Partners(const ScrapeFigures& figures, Sink& sink) const;
  template <typename Sink>
  void Versions(const ScrapeFigures& figures, Sink& sink) const;
};

SlaMetrics::SlaMetrics(Source source, const SlaMetricsOptions& options)
    : source_(std::move(source)), known_(std::make_unique<Known>()) {
  for (const std::string& severity : options.severities)
    known_->severities.Learn(severity);
  known_->Resize();
}

SlaMetrics::SlaMetrics(FiguresSource source, const SlaMetricsOptions& options)
    : SlaMetrics(
          source ? Source([from = std::move(source)]() -> std::optional<ScrapeFigures> {
            std::optional<SlaFigures> figures = from();
            if (!figures) return std::nullopt;
            return Flatten(*figures);
          })
                 : Source(),
          options) {}

SlaMetrics::~SlaMetrics() = default;

namespace {

const ScrapeFigures& NoFigures() {
  static const ScrapeFigures none = [] {
    ScrapeFigures figures;
    figures.labels = std::make_shared<ScrapeLabels>();
    figures.Size();
    return figures;
  }();
  return none;
}

}  // namespace

const ScrapeFigures& SlaMetrics::Known::Take(std::optional<ScrapeFigures> figures) {
  if (figures) last = std::move(figures);
  const ScrapeFigures& now = last ? *last : NoFigures();
  Learn(now);
  Mark(now);
  return now;
}

std::vector<MetricFamily> SlaMetrics::Collect() const {
  // Asked before the lock: a slow source holds up only its own scrape.
  std::optional<ScrapeFigures> figures = source_ ? source_() : std::nullopt;
  std::lock_guard lock(mutex_);
  Known& known = *known_;
  const ScrapeFigures& now = known.Take(std::move(figures));
  std::vector<MetricFamily> out;
  FamilySink sink(out);
  known.Emit(now, sink);
  return out;
}

void SlaMetrics::WriteText(std::string& text, std::vector<Family>& families) const {
  std::optional<ScrapeFigures> figures = source_ ? source_() : std::nullopt;
  std::lock_guard lock(mutex_);
  Known& known = *known_;
  const ScrapeFigures& now = known.Take(std::move(figures));
  const size_t begin = text.size();
  text.reserve(begin + known.text_size + known.text_size / 8);
  TextSink sink(text, families);
  known.Emit(now, sink);
  known.text_size = text.size() - begin;
}

void SlaMetrics::Known::Resize() {
  const size_t cells = severities.size() * kTargets;
  breaches.resize(partners.size());
  for (auto& row : breaches) row.resize(cells);
  met.resize(cells);
  fees.resize(partners.size());
}

void SlaMetrics::Known::Learn(const ScrapeFigures& figures) {
  if (figures.labels == mapped) return;  // numbered already
  mapped = figures.labels;
  auto number = [](KnownValues& known, const std::vector<std::string>& values,
                   std::vector<uint32_t>& numbers) {
    numbers.clear();
    for (const std::string& value : values) numbers.push_back(known.Learn(value));
  };
  number(severities, mapped->severities, severity_of);
  number(partners, mapped->partners, partner_of);
  number(products, mapped->products, product_of);
  Resize();
}

void SlaMetrics::Known::Mark(const ScrapeFigures& figures) {
  const size_t severity_count = figures.labels->severities.size();
  for (size_t p = 0; p < partner_of.size(); ++p) {
    std::vector<Counter>& row = breaches[partner_of[p]];
    for (size_t s = 0; s < severity_count; ++s) {
      for (TargetName target : kTargetNames) {
        const int64_t figure = figures.breaches[figures.PartnerCell(p, s, target)];
        if (figure != kNoFigure)
          row[ScrapeFigures::Cell(severity_of[s], target)].Follow(figure);
      }
    }
  }
  for (size_t s = 0; s < severity_count; ++s) {
    for (TargetName target : kTargetNames) {
      const MetCount& figure = figures.met[ScrapeFigures::Cell(s, target)];
      if (figure.on_time == kNoFigure) continue;
      auto& [late, on_time] = met[ScrapeFigures::Cell(severity_of[s], target)];
      late.Follow(figure.late);
      on_time.Follow(figure.on_time);
    }
  }
  for (const auto& [partner, partner_figures] : figures.partners)
    fees[partner_of[partner]].Follow(partner_figures.fees_total);
}

template <typename Sink>
void SlaMetrics::Known::Emit(const ScrapeFigures& figures, Sink& sink) const {
  Clocks(figures, sink);
  Partners(figures, sink);
  Versions(figures, sink);
  sink.Begin("slamon_open_tickets", "Open tickets.", false);
  sink.Series({}, figures.open_tickets);
  sink.End();
  sink.Begin("slamon_timers", "Tickets waiting on a timer for their next SLA transition.",
             false);
  sink.Series({}, static_cast<int64_t>(figures.timers));
  sink.End();
  sink.Begin("slamon_tracker_time_seconds",
             "The instant up to which the tracker has advanced its clocks "
             "(Unix seconds); it stands still when the event loop or the "
             "timer wheel stops advancing.",
             false);
  sink.Series({}, EpochSeconds(figures.at));
  sink.End();
}

template <typename Sink>
void SlaMetrics::Known::Clocks(const ScrapeFigures& figures, Sink& sink) const {
  // The figures' number of each known severity (kNone: the figures have none).
  std::vector<uint32_t> in_figures(severities.size(), KnownValues::kNone);
  for (uint32_t s = 0; s < severity_of.size(); ++s) in_figures[severity_of[s]] = s;
  // Every known target x severity (x state, outcome, partner), 0 when the
  // figures have none, in the exposition's order: labels sorted by name,
  // then by value.
  sink.Begin("slamon_sla_clocks",
             "Open SLA clocks by target, ticket severity and state (running, "
             "paused, at_risk, breached; each clock in exactly one state).",
             false);
  for (const auto& [state_label, state] : States()) {
    for (const auto& [target_label, target] : Targets()) {
      for (uint32_t severity : severities.sorted()) {
        const uint32_t s = in_figures[severity];
        const int64_t count = s == KnownValues::kNone
                                  ? 0
                                  : figures.open_clocks[ScrapeFigures::Cell(s, target) *
                                                            ScrapeFigures::kStates +
                                                        static_cast<size_t>(state)];
        sink.Series({{"state", &state_label},
                     {"target", &target_label},
                     {"ticket_severity", &severities[severity]}},
                    count);
      }
    }
  }
  sink.End();
  sink.Begin("slamon_sla_breaches_total",
             "SLA clocks that missed their deadline, stopped ones included, "
             "by target, ticket severity and partner.",
             true);
  for (uint32_t partner : partners.sorted()) {
    const std::vector<Counter>& row = breaches[partner];
    for (const auto& [target_label, target] : Targets()) {
      for (uint32_t severity : severities.sorted()) {
        sink.Series({{"partner", &partners[partner]},
                     {"target", &target_label},
                     {"ticket_severity", &severities[severity]}},
                    row[ScrapeFigures::Cell(severity, target)].counter);
      }
    }
  }
  sink.End();
  sink.Begin("slamon_sla_met_total",
             "Stopped SLA clocks by target, ticket severity and "
             "outcome (on_time or late).",
             true);
  static const LabelText kLate = Label("late");
  static const LabelText kOnTime = Label("on_time");
  for (const LabelText* outcome : {&kLate, &kOnTime}) {
    for (const auto& [target_label, target] : Targets()) {
      for (uint32_t severity : severities.sorted()) {
        const auto& [late, on_time] = met[ScrapeFigures::Cell(severity, target)];
        sink.Series({{"outcome", outcome},
                     {"target", &target_label},
                     {"ticket_severity", &severities[severity]}},
                    outcome == &kLate ? late.counter : on_time.counter);
      }
    }
  }
  sink.End();
  // Only where a running clock has a deadline: no honest value otherwise.
  sink.Begin("slamon_sla_next_deadline_timestamp_seconds",
             "Earliest deadline of a running, not yet breached SLA clock, "
             "by target and ticket severity; absent when there is none.",
             false);
  for (const auto& [target_label, target] : Targets()) {
    for (uint32_t severity : severities.sorted()) {
      const uint32_t s = in_figures[severity];
      if (s == KnownValues::kNone) continue;
      const int64_t deadline = figures.next_deadline[ScrapeFigures::Cell(s, target)];
      if (deadline == kNoFigure) continue;
      sink.Series({{"target", &target_label}, {"ticket_severity", &severities[severity]}},
                  deadline);
    }
  }
  sink.End();
}

template <typename Sink>
void SlaMetrics::Known::Partners(const ScrapeFigures& figures, Sink& sink) const {
  // The gauges: the partners of these figures only, in label order.
  std::vector<const PartnerFigures*> in_figures(partners.size(), nullptr);
  for (const auto& [partner, partner_figures] : figures.partners)
    in_figures[partner_of[partner]] = &partner_figures;
  std::vector<std::pair<const LabelText*, const PartnerQuota*>> gauges;
  gauges.reserve(figures.partners.size());
  for (uint32_t partner : partners.sorted()) {
    if (in_figures[partner] != nullptr)
      gauges.emplace_back(&partners[partner], &in_figures[partner]->quota);
  }
  // One family of the gauges: `value` of a partner's quota, or std::nullopt
  // for no series.
  auto family = [&](std::string_view name, std::string_view help, auto value) {
    sink.Begin(name, help, false);
    for (const auto& [label, quota] : gauges) {
      if (std::optional<int64_t> v = value(*quota)) sink.Series({{"partner", label}}, *v);
    }
    sink.End();
  };
  using Value = std::optional<int64_t>;
  family("slamon_quota_incidents_used",
         "Incidents the partner used in its current quota period.",
         [](const PartnerQuota& q) -> Value { return q.incidents_used; });
  family("slamon_quota_incidents_limit",
         "Incidents the partner may use in its current quota period "
         "(base limit plus credits); absent while the period is "
         "unlimited.",
         [](const PartnerQuota& q) -> Value {
           if (!q.incidents_limit) return std::nullopt;
           return *q.incidents_limit;
         });
  family("slamon_quota_credits",
         "Credits the partner earned for its current quota period "
         "by tickets that reported a new defect (one more incident "
         "in the limit, or for credit: paid partners one waived "
         "billable incident).",
         [](const PartnerQuota& q) -> Value { return q.credits; });
  family("slamon_quota_billable_incidents",
         "Incidents of the partner's current quota period past "
         "its limit that are billable (over quota less "
         "paid-incident credits); 0 while the period is "
         "unlimited.",
         [](const PartnerQuota& q) -> Value { return q.billable_incidents; });
  family("slamon_quota_period_end_timestamp_seconds",
         "End (exclusive) of the partner's current quota period.",
         [](const PartnerQuota& q) -> Value { return EpochSeconds(q.period.end); });
  family("slamon_quota_unlimited",
         "1 while the partner's current quota period has no "
         "incident limit, else 0.",
         [](const PartnerQuota& q) -> Value { return q.incidents_limit ? 0 : 1; });
  family("slamon_partner_certified_employees",
         "Distinct employees of the partner holding a valid "
         "certification.",
         [](const PartnerQuota& q) -> Value { return q.certified_employees; });
  family("slamon_partner_certification_expiry_timestamp_seconds",
         "When the partner stops being certified unless another "
         "employee passes; 0 when it is not certified.",
         [](const PartnerQuota& q) -> Value {
           return q.certified && q.certified_until ? EpochSeconds(*q.certified_until) : 0;
         });
  // The counter: every partner ever seen.
  sink.Begin("slamon_ticket_fees_total",
             "Tickets opened by the partner that carry a ticket fee.", true);
  for (uint32_t partner : partners.sorted())
    sink.Series({{"partner", &partners[partner]}}, fees[partner].counter);
  sink.End();
}

template <typename Sink>
void SlaMetrics::Known::Versions(const ScrapeFigures& figures, Sink& sink) const {
  std::vector<uint32_t> in_figures(products.size(), KnownValues::kNone);
  for (uint32_t p = 0; p < product_of.size(); ++p) in_figures[product_of[p]] = p;
  // Every product ever seen, 0 when no open ticket is on such a version.
  auto family = [&](std::string_view name, std::string_view help,
                    const std::vector<int64_t>& counts) {
    sink.Begin(name, help, false);
    for (uint32_t product : products.sorted()) {
      const uint32_t p = in_figures[product];
      sink.Series({{"product", &products[product]}},
                  p == KnownValues::kNone ? 0 : counts[p]);
    }
    sink.End();
  };
  family("slamon_tickets_unsupported_version",
         "Open tickets about a product version that is no "
         "longer supported, by product.",
         figures.unsupported_open);
  family("slamon_tickets_outdated_version",
         "Open tickets about an outdated product version, by product.",
         figures.outdated_open);
}

}  // namespace slamon
