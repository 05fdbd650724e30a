#include "metrics/sla_metrics.h"

#include <stdexcept>
#include <utility>

namespace slamon {
namespace {

using prometheus::Labels;

std::shared_ptr<prometheus::Registry> Required(
    std::shared_ptr<prometheus::Registry> registry) {
  if (!registry) throw std::invalid_argument("SlaMetrics: no registry");
  return registry;
}

double EpochSeconds(Instant t) {
  return static_cast<double>(t.time_since_epoch().count());
}

Labels TargetSeverityLabels(TargetName target, const std::string& severity) {
  return {{"target", std::string(ToString(target))}, {"ticket_severity", severity}};
}

Labels With(Labels labels, const std::string& name, std::string value) {
  labels.emplace(name, std::move(value));
  return labels;
}

Labels PartnerLabels(const std::string& partner) { return {{"partner", partner}}; }

Labels ProductLabels(const std::string& product) { return {{"product", product}}; }

prometheus::Family<prometheus::Gauge>& Gauges(prometheus::Registry& registry,
                                              const std::string& name,
                                              const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry);
}

prometheus::Family<prometheus::Counter>& Counters(prometheus::Registry& registry,
                                                  const std::string& name,
                                                  const std::string& help) {
  return prometheus::BuildCounter().Name(name).Help(help).Register(registry);
}

}  // namespace

void SlaMetrics::GaugeFamily::Publish(const std::map<Labels, double>& values) {
  std::map<Labels, prometheus::Gauge*> published;
  for (const auto& [labels, value] : values) {
    prometheus::Gauge& gauge = family_->Add(labels);
    gauge.Set(value);
    published.emplace(labels, &gauge);
  }
  for (const auto& [labels, gauge] : exported_) {
    if (!published.contains(labels)) family_->Remove(gauge);
  }
  exported_ = std::move(published);
}

SlaMetrics::SlaMetrics(std::shared_ptr<prometheus::Registry> registry,
                       const SlaMetricsOptions& options)
    : registry_(Required(std::move(registry))),
      severities_(options.severities.begin(), options.severities.end()),
      clocks_(Gauges(*registry_, "slamon_sla_clocks",
                     "Open SLA clocks by target, ticket severity and state (running, "
                     "paused, at_risk, breached; each clock in exactly one state).")),
      breaches_(Counters(*registry_, "slamon_sla_breaches_total",
                         "SLA clocks that missed their deadline, stopped ones included, "
                         "by target, ticket severity and partner.")),
      met_(Counters(*registry_, "slamon_sla_met_total",
                    "Stopped SLA clocks by target, ticket severity and outcome (on_time "
                    "or late).")),
      next_deadline_(Gauges(*registry_, "slamon_sla_next_deadline_timestamp_seconds",
                            "Earliest deadline of a running, not yet breached SLA clock, "
                            "by target and ticket severity; absent when there is none.")),
      incidents_used_(Gauges(*registry_, "slamon_quota_incidents_used",
                             "Incidents the partner used in its current quota period.")),
      incidents_limit_(Gauges(*registry_, "slamon_quota_incidents_limit",
                              "Incidents the partner may use in its current quota period "
                              "(base limit plus credits); absent while the period is "
                              "unlimited.")),
      credits_(Gauges(*registry_, "slamon_quota_credits",
                      "Credits the partner earned for its current quota period by "
                      "tickets that reported a new defect (one more incident in the "
                      "limit, or for credit: paid partners one waived billable "
                      "incident).")),
      billable_(Gauges(*registry_, "slamon_quota_billable_incidents",
                       "Incidents of the partner's current quota period past its limit "
                       "that are billable (over quota less paid-incident credits); 0 "
                       "while the period is unlimited.")),
      period_end_(Gauges(*registry_, "slamon_quota_period_end_timestamp_seconds",
                         "End (exclusive) of the partner's current quota period.")),
      unlimited_(Gauges(*registry_, "slamon_quota_unlimited",
                        "1 while the partner's current quota period has no incident "
                        "limit, else 0.")),
      fees_(Counters(*registry_, "slamon_ticket_fees_total",
                     "Tickets opened by the partner that carry a ticket fee.")),
      certified_employees_(Gauges(*registry_, "slamon_partner_certified_employees",
                                  "Distinct employees of the partner holding a valid "
                                  "certification.")),
      certification_expiry_(Gauges(
          *registry_, "slamon_partner_certification_expiry_timestamp_seconds",
          "When the partner stops being certified unless another employee passes; 0 "
          "when it is not certified.")),
      unsupported_(Gauges(*registry_, "slamon_tickets_unsupported_version",
                          "Open tickets about a product version that is no longer "
                          "supported, by product.")),
      outdated_(Gauges(*registry_, "slamon_tickets_outdated_version",
                       "Open tickets about an outdated product version, by product.")),
      open_tickets_(Gauges(*registry_, "slamon_open_tickets", "Open tickets.").Add({})),
      timers_(Gauges(*registry_, "slamon_timers",
                     "Tickets waiting on a timer for their next SLA transition.")
                  .Add({})),
      tracker_time_(Gauges(*registry_, "slamon_tracker_time_seconds",
                           "The instant up to which the tracker has advanced its clocks "
                           "(Unix seconds); it stands still when the event loop or the "
                           "timer wheel stops advancing.")
                        .Add({})) {
  Update(SlaFigures{});
}

SlaMetrics::~SlaMetrics() = default;

void SlaMetrics::Update(const SlaFigures& figures) {
  Learn(figures);
  UpdateClocks(figures);
  UpdatePartners(figures);
  UpdateVersions(figures);
  open_tickets_.Set(static_cast<double>(figures.open_tickets));
  timers_.Set(static_cast<double>(figures.timers));
  tracker_time_.Set(EpochSeconds(figures.at));
}

void SlaMetrics::Follow(prometheus::Counter& counter, int64_t figure) {
  int64_t& seen = figures_seen_[&counter];
  if (figure > seen) counter.Increment(static_cast<double>(figure - seen));
  seen = figure;
}

void SlaMetrics::Learn(const SlaFigures& figures) {
  for (const auto& [key, count] : figures.open_clocks)
    severities_.insert(key.first.severity);
  for (const auto& [key, count] : figures.breaches) {
    severities_.insert(key.severity);
    partners_.insert(key.partner);
  }
  for (const auto& [key, count] : figures.met) severities_.insert(key.severity);
  for (const auto& [key, deadline] : figures.next_deadline)
    severities_.insert(key.severity);
  for (const auto& [partner, partner_figures] : figures.partners)
    partners_.insert(partner);
  for (const auto& [product, count] : figures.unsupported_open) products_.insert(product);
  for (const auto& [product, count] : figures.outdated_open) products_.insert(product);
}

void SlaMetrics::UpdateClocks(const SlaFigures& figures) {
  std::map<Labels, double> clocks;
  for (TargetName target : kTargetNames) {
    for (const std::string& severity : severities_) {
      const Labels labels = TargetSeverityLabels(target, severity);
      for (OpenClockState state : kOpenClockStates) {
        clocks[With(labels, "state", std::string(ToString(state)))] = 0;
      }
      // Counter series start at 0: Add creates them without incrementing.
      met_.Add(With(labels, "outcome", "on_time"));
      met_.Add(With(labels, "outcome", "late"));
      for (const std::string& partner : partners_) {
        breaches_.Add(With(labels, "partner", partner));
      }
    }
  }
  for (const auto& [key, count] : figures.open_clocks) {
    const auto& [target_severity, state] = key;
    clocks[With(TargetSeverityLabels(target_severity.target, target_severity.severity),
                "state", std::string(ToString(state)))] = static_cast<double>(count);
  }
  clocks_.Publish(clocks);

  for (const auto& [key, count] : figures.breaches) {
    Follow(breaches_.Add(With(TargetSeverityLabels(key.target, key.severity), "partner",
                              key.partner)),
           count);
  }
  for (const auto& [key, count] : figures.met) {
    const Labels labels = TargetSeverityLabels(key.target, key.severity);
    Follow(met_.Add(With(labels, "outcome", "on_time")), count.on_time);
    Follow(met_.Add(With(labels, "outcome", "late")), count.late);
  }

  std::map<Labels, double> deadlines;
  for (const auto& [key, deadline] : figures.next_deadline) {
    deadlines[TargetSeverityLabels(key.target, key.severity)] = EpochSeconds(deadline);
  }
  next_deadline_.Publish(deadlines);
}

void SlaMetrics::UpdatePartners(const SlaFigures& figures) {
  std::map<Labels, double> used, limit, credits, billable, period_end, unlimited,
      employees, expiry;
  for (const auto& [partner, partner_figures] : figures.partners) {
    const PartnerQuota& quota = partner_figures.quota;
    const Labels labels = PartnerLabels(partner);
    used[labels] = quota.incidents_used;
    if (quota.incidents_limit) limit[labels] = *quota.incidents_limit;
    unlimited[labels] = quota.incidents_limit ? 0 : 1;
    credits[labels] = quota.credits;
    billable[labels] = quota.billable_incidents;
    period_end[labels] = EpochSeconds(quota.period.end);
    employees[labels] = quota.certified_employees;
    expiry[labels] = quota.certified && quota.certified_until
                         ? EpochSeconds(*quota.certified_until)
                         : 0;
    Follow(fees_.Add(labels), partner_figures.fees_total);
  }
  for (const std::string& partner : partners_) fees_.Add(PartnerLabels(partner));
  incidents_used_.Publish(used);
  incidents_limit_.Publish(limit);
  unlimited_.Publish(unlimited);
  credits_.Publish(credits);
  billable_.Publish(billable);
  period_end_.Publish(period_end);
  certified_employees_.Publish(employees);
  certification_expiry_.Publish(expiry);
}

void SlaMetrics::UpdateVersions(const SlaFigures& figures) {
  std::map<Labels, double> unsupported, outdated;
  for (const std::string& product : products_) {
    const Labels labels = ProductLabels(product);
    auto u = figures.unsupported_open.find(product);
    unsupported[labels] =
        u != figures.unsupported_open.end() ? static_cast<double>(u->second) : 0;
    auto o = figures.outdated_open.find(product);
    outdated[labels] =
        o != figures.outdated_open.end() ? static_cast<double>(o->second) : 0;
  }
  unsupported_.Publish(unsupported);
  outdated_.Publish(outdated);
}

}  // namespace slamon
