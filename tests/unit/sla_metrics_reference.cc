// ReferenceSlaMetrics (sla_metrics_reference.h): the code of
// lib/metrics/sla_metrics.cc at 1941e54, renamed. Test code only.
#include "sla_metrics_reference.h"

#include <prometheus/client_metric.h>
#include <prometheus/metric_type.h>

#include <algorithm>
#include <utility>

namespace slamon {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

double EpochSeconds(Instant t) {
  return static_cast<double>(t.time_since_epoch().count());
}

MetricFamily Family(std::string name, std::string help, MetricType type) {
  MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  return family;
}

// One series; `labels` in the order of their names, as the exposition wants.
void Add(MetricFamily& family, std::vector<ClientMetric::Label> labels, double value) {
  ClientMetric& metric = family.metric.emplace_back();
  metric.label = std::move(labels);
  if (family.type == MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
}

std::string Target(TargetName target) { return std::string(ToString(target)); }

}  // namespace

struct ReferenceSlaMetrics::Known {
  std::set<std::string> severities;
  std::set<std::string> partners;
  std::set<std::string> products;
  // The counters' values: what their figures grew by, scrape to scrape.
  std::map<TargetSeverityPartner, int64_t> breaches;
  std::map<TargetSeverity, MetCount> met;
  std::map<std::string, int64_t> fees;
  // The figures the counters last followed.
  std::map<TargetSeverityPartner, int64_t> breaches_seen;
  std::map<TargetSeverity, MetCount> met_seen;
  std::map<std::string, int64_t> fees_seen;
  std::optional<SlaFigures> last;  // the source's last answer

  void Learn(const SlaFigures& figures);
  void Mark(const SlaFigures& figures);
  std::vector<MetricFamily> Families(const SlaFigures& figures) const;
  void Clocks(const SlaFigures& figures, std::vector<MetricFamily>& out) const;
  void Partners(const SlaFigures& figures, std::vector<MetricFamily>& out) const;
  void Versions(const SlaFigures& figures, std::vector<MetricFamily>& out) const;
};

ReferenceSlaMetrics::ReferenceSlaMetrics(Source source, const SlaMetricsOptions& options)
    : source_(std::move(source)), known_(std::make_unique<Known>()) {
  known_->severities.insert(options.severities.begin(), options.severities.end());
}

ReferenceSlaMetrics::~ReferenceSlaMetrics() = default;

std::vector<MetricFamily> ReferenceSlaMetrics::Collect() const {
  // Asked before the lock: a slow source holds up only its own scrape.
  std::optional<SlaFigures> figures = source_ ? source_() : std::nullopt;
  std::lock_guard lock(mutex_);
  Known& known = *known_;
  if (figures) known.last = std::move(figures);
  const SlaFigures empty;
  const SlaFigures& now = known.last ? *known.last : empty;
  known.Learn(now);
  known.Mark(now);
  return known.Families(now);
}

void ReferenceSlaMetrics::Known::Learn(const SlaFigures& figures) {
  for (const auto& [key, count] : figures.open_clocks)
    severities.insert(key.first.severity);
  for (const auto& [key, count] : figures.breaches) {
    severities.insert(key.severity);
    partners.insert(key.partner);
  }
  for (const auto& [key, count] : figures.met) severities.insert(key.severity);
  for (const auto& [key, deadline] : figures.next_deadline)
    severities.insert(key.severity);
  for (const auto& [partner, partner_figures] : figures.partners)
    partners.insert(partner);
  for (const auto& [product, count] : figures.unsupported_open) products.insert(product);
  for (const auto& [product, count] : figures.outdated_open) products.insert(product);
}

namespace {

// A counter follows its figure: it adds what the figure grew by since the
// last time (0 for a new series); a figure that shrank leaves it alone, and
// its next growth is added again (docs/design.md §5: a later breach onset
// always counts).
void Follow(int64_t& counter, int64_t& seen, int64_t figure) {
  if (figure > seen) counter += figure - seen;
  seen = figure;
}

}  // namespace

void ReferenceSlaMetrics::Known::Mark(const SlaFigures& figures) {
  for (const auto& [key, count] : figures.breaches)
    Follow(breaches[key], breaches_seen[key], count);
  for (const auto& [key, count] : figures.met) {
    MetCount& mark = met[key];
    MetCount& seen = met_seen[key];
    Follow(mark.on_time, seen.on_time, count.on_time);
    Follow(mark.late, seen.late, count.late);
  }
  for (const auto& [partner, partner_figures] : figures.partners)
    Follow(fees[partner], fees_seen[partner], partner_figures.fees_total);
}

std::vector<MetricFamily> ReferenceSlaMetrics::Known::Families(
    const SlaFigures& figures) const {
  std::vector<MetricFamily> out;
  out.reserve(18);
  Clocks(figures, out);
  Partners(figures, out);
  Versions(figures, out);
  MetricFamily open = Family("slamon_open_tickets", "Open tickets.", MetricType::Gauge);
  Add(open, {}, static_cast<double>(figures.open_tickets));
  out.push_back(std::move(open));
  MetricFamily timers =
      Family("slamon_timers", "Tickets waiting on a timer for their next SLA transition.",
             MetricType::Gauge);
  Add(timers, {}, static_cast<double>(figures.timers));
  out.push_back(std::move(timers));
  MetricFamily time =
      Family("slamon_tracker_time_seconds",
             "The instant up to which the tracker has advanced its clocks "
             "(Unix seconds); it stands still when the event loop or the "
             "timer wheel stops advancing.",
             MetricType::Gauge);
  Add(time, {}, EpochSeconds(figures.at));
  out.push_back(std::move(time));
  // A family without series is not shown (as prometheus-cpp's registry does).
  std::erase_if(out, [](const MetricFamily& family) { return family.metric.empty(); });
  return out;
}

void ReferenceSlaMetrics::Known::Clocks(const SlaFigures& figures,
                                        std::vector<MetricFamily>& out) const {
  MetricFamily clocks =
      Family("slamon_sla_clocks",
             "Open SLA clocks by target, ticket severity and state (running, "
             "paused, at_risk, breached; each clock in exactly one state).",
             MetricType::Gauge);
  MetricFamily breached =
      Family("slamon_sla_breaches_total",
             "SLA clocks that missed their deadline, stopped ones included, "
             "by target, ticket severity and partner.",
             MetricType::Counter);
  MetricFamily stopped = Family("slamon_sla_met_total",
                                "Stopped SLA clocks by target, ticket severity and "
                                "outcome (on_time or late).",
                                MetricType::Counter);
  // Every known target x severity (x state, outcome, partner), 0 when the
  // figures have none; written in the exposition's order (labels sorted by
  // name, then value), so rendering need not sort 20,000 series.
  std::vector<std::pair<std::string, TargetName>> targets;
  for (TargetName target : kTargetNames) targets.emplace_back(Target(target), target);
  std::sort(targets.begin(), targets.end());
  std::vector<std::pair<std::string, OpenClockState>> states;
  for (OpenClockState state : kOpenClockStates)
    states.emplace_back(std::string(ToString(state)), state);
  std::sort(states.begin(), states.end());
  for (const auto& [state_label, state] : states) {
    for (const auto& [target_label, target] : targets) {
      for (const std::string& severity : severities) {
        auto count = figures.open_clocks.find({{target, severity}, state});
        Add(clocks,
            {{"state", state_label},
             {"target", target_label},
             {"ticket_severity", severity}},
            count == figures.open_clocks.end() ? 0 : static_cast<double>(count->second));
      }
    }
  }
  for (const char* outcome : {"late", "on_time"}) {
    for (const auto& [target_label, target] : targets) {
      for (const std::string& severity : severities) {
        auto mark = met.find({target, severity});
        const MetCount outcomes = mark == met.end() ? MetCount{} : mark->second;
        Add(stopped,
            {{"outcome", outcome},
             {"target", target_label},
             {"ticket_severity", severity}},
            static_cast<double>(std::string_view(outcome) == "late" ? outcomes.late
                                                                    : outcomes.on_time));
      }
    }
  }
  for (const std::string& partner : partners) {
    for (const auto& [target_label, target] : targets) {
      for (const std::string& severity : severities) {
        auto count = breaches.find({target, severity, partner});
        Add(breached,
            {{"partner", partner},
             {"target", target_label},
             {"ticket_severity", severity}},
            count == breaches.end() ? 0 : static_cast<double>(count->second));
      }
    }
  }
  // Only where a running clock has a deadline: no honest value otherwise.
  MetricFamily deadlines =
      Family("slamon_sla_next_deadline_timestamp_seconds",
             "Earliest deadline of a running, not yet breached SLA clock, "
             "by target and ticket severity; absent when there is none.",
             MetricType::Gauge);
  for (const auto& [key, deadline] : figures.next_deadline) {
    Add(deadlines, {{"target", Target(key.target)}, {"ticket_severity", key.severity}},
        EpochSeconds(deadline));
  }
  out.push_back(std::move(clocks));
  out.push_back(std::move(breached));
  out.push_back(std::move(stopped));
  out.push_back(std::move(deadlines));
}

void ReferenceSlaMetrics::Known::Partners(const SlaFigures& figures,
                                          std::vector<MetricFamily>& out) const {
  MetricFamily used = Family("slamon_quota_incidents_used",
                             "Incidents the partner used in its current quota period.",
                             MetricType::Gauge);
  MetricFamily limit = Family("slamon_quota_incidents_limit",
                              "Incidents the partner may use in its current quota period "
                              "(base limit plus credits); absent while the period is "
                              "unlimited.",
                              MetricType::Gauge);
  MetricFamily credits =
      Family("slamon_quota_credits",
             "Credits the partner earned for its current quota period "
             "by tickets that reported a new defect (one more incident "
             "in the limit, or for credit: paid partners one waived "
             "billable incident).",
             MetricType::Gauge);
  MetricFamily billable = Family("slamon_quota_billable_incidents",
                                 "Incidents of the partner's current quota period past "
                                 "its limit that are billable (over quota less "
                                 "paid-incident credits); 0 while the period is "
                                 "unlimited.",
                                 MetricType::Gauge);
  MetricFamily period_end =
      Family("slamon_quota_period_end_timestamp_seconds",
             "End (exclusive) of the partner's current quota period.", MetricType::Gauge);
  MetricFamily unlimited = Family("slamon_quota_unlimited",
                                  "1 while the partner's current quota period has no "
                                  "incident limit, else 0.",
                                  MetricType::Gauge);
  MetricFamily fees_family = Family(
      "slamon_ticket_fees_total",
      "Tickets opened by the partner that carry a ticket fee.", MetricType::Counter);
  MetricFamily employees = Family("slamon_partner_certified_employees",
                                  "Distinct employees of the partner holding a valid "
                                  "certification.",
                                  MetricType::Gauge);
  MetricFamily expiry = Family("slamon_partner_certification_expiry_timestamp_seconds",
                               "When the partner stops being certified unless another "
                               "employee passes; 0 when it is not certified.",
                               MetricType::Gauge);
  // The gauges: the partners of these figures only.
  for (const auto& [partner, partner_figures] : figures.partners) {
    const PartnerQuota& quota = partner_figures.quota;
    const std::vector<ClientMetric::Label> labels = {{"partner", partner}};
    Add(used, labels, quota.incidents_used);
    if (quota.incidents_limit) Add(limit, labels, *quota.incidents_limit);
    Add(unlimited, labels, quota.incidents_limit ? 0 : 1);
    Add(credits, labels, quota.credits);
    Add(billable, labels, quota.billable_incidents);
    Add(period_end, labels, EpochSeconds(quota.period.end));
    Add(employees, labels, quota.certified_employees);
    Add(expiry, labels,
        quota.certified && quota.certified_until ? EpochSeconds(*quota.certified_until)
                                                 : 0);
  }
  // The counter: every partner ever seen.
  for (const std::string& partner : partners) {
    auto mark = fees.find(partner);
    Add(fees_family, {{"partner", partner}},
        mark == fees.end() ? 0 : static_cast<double>(mark->second));
  }
  out.push_back(std::move(used));
  out.push_back(std::move(limit));
  out.push_back(std::move(credits));
  out.push_back(std::move(billable));
  out.push_back(std::move(period_end));
  out.push_back(std::move(unlimited));
  out.push_back(std::move(fees_family));
  out.push_back(std::move(employees));
  out.push_back(std::move(expiry));
}

void ReferenceSlaMetrics::Known::Versions(const SlaFigures& figures,
                                          std::vector<MetricFamily>& out) const {
  MetricFamily unsupported = Family("slamon_tickets_unsupported_version",
                                    "Open tickets about a product version that is no "
                                    "longer supported, by product.",
                                    MetricType::Gauge);
  MetricFamily outdated = Family(
      "slamon_tickets_outdated_version",
      "Open tickets about an outdated product version, by product.", MetricType::Gauge);
  // Every product ever seen, 0 when no open ticket is on such a version.
  for (const std::string& product : products) {
    auto u = figures.unsupported_open.find(product);
    Add(unsupported, {{"product", product}},
        u == figures.unsupported_open.end() ? 0 : static_cast<double>(u->second));
    auto o = figures.outdated_open.find(product);
    Add(outdated, {{"product", product}},
        o == figures.outdated_open.end() ? 0 : static_cast<double>(o->second));
  }
  out.push_back(std::move(unsupported));
  out.push_back(std::move(outdated));
}

}  // namespace slamon
