// SlaMetrics: the tracker's figures (SlaFigures) as Prometheus metrics,
// docs/design.md §5. The metric names and labels are a contract.
//
// Update(figures) makes the registry show one snapshot. Every family has a
// help text, values are in base units (timestamps in seconds since the epoch)
// and no label names a ticket: series counts depend on the numbers of
// targets, severities, partners and products only.
//
//   slamon_sla_clocks{target,ticket_severity,state}               gauge
//   slamon_sla_breaches_total{target,ticket_severity,partner}     counter
//   slamon_sla_met_total{target,ticket_severity,outcome}          counter
//   slamon_sla_next_deadline_timestamp_seconds{target,ticket_severity} gauge
//   slamon_quota_incidents_used{partner}                          gauge
//   slamon_quota_incidents_limit{partner}                         gauge
//   slamon_quota_credits{partner}                                 gauge
//   slamon_quota_billable_incidents{partner}                      gauge
//   slamon_quota_period_end_timestamp_seconds{partner}            gauge
//   slamon_quota_unlimited{partner}                               gauge
//   slamon_ticket_fees_total{partner}                             counter
//   slamon_partner_certified_employees{partner}                   gauge
//   slamon_partner_certification_expiry_timestamp_seconds{partner} gauge
//   slamon_tickets_unsupported_version{product}                   gauge
//   slamon_tickets_outdated_version{product}                      gauge
//   slamon_open_tickets                                           gauge
//   slamon_timers                                                 gauge
//   slamon_tracker_time_seconds                                   gauge
//
// Which series exist:
// - Known severities are the ones in the options plus every severity any
//   Update has seen; known targets are all three (response, workaround,
//   resolution). Every known target x severity has its four `state` series of
//   slamon_sla_clocks and its two `outcome` series (on_time, late) of
//   slamon_sla_met_total, 0 when there are none (labelled series start at 0,
//   so increase() sees the first one). Likewise every known target x severity
//   x partner has a slamon_sla_breaches_total series, where the known partners
//   are every partner any Update has seen.
// - slamon_sla_next_deadline_timestamp_seconds exists only for a target x
//   severity that has a running clock not yet breached; the series is removed
//   when the last such clock stops, pauses or breaches (there is no honest
//   timestamp to give, and a 0 would read as "overdue since 1970").
// - The partner gauges exist for the partners of the latest figures (a
//   partner that leaves them loses its gauge series). During an unlimited
//   quota period slamon_quota_incidents_limit has no series for the partner
//   and slamon_quota_unlimited is 1 (0 in a limited period, where the limit is
//   the base limit plus credits). A partner that is not certified has
//   slamon_partner_certification_expiry_timestamp_seconds 0, so an alert such
//   as `expiry - time() < 30 * 86400` keeps firing once the certification
//   has lapsed instead of going quiet.
// - Every product any Update has seen keeps both version gauges, 0 when no
//   open ticket is on an unsupported or outdated version.
// - slamon_tracker_time_seconds is SlaFigures::at, the instant up to which the
//   tracker has advanced its clocks (0 before the first Update with figures).
//   A live daemon keeps it close to the wall clock, so `time() - it` growing
//   means the event loop or the timer wheel stopped advancing (the shipped
//   rule SlamonWheelStalled, prometheus/slamon.rules.yml).
//
// Counters: the figures behind them are functions of the ticket history in
// the database, so a restart recomputes them (docs/design.md §5);
// slamon_sla_breaches_total's figure counts breach onsets
// (engine/breach_onsets.h), so a breach undone by a re-classification stays
// counted. A prometheus-cpp counter only goes up, so Update adds to each
// counter what its figure grew by since the last Update. When a figure shrank
// (a late, back-dated event or a postponed release undid a breach, or a
// re-classification turned an on-time stop into a late one), the counter
// stays where it is, and every later growth of the figure is added again: a
// later onset always counts. After a restart the counter starts from the
// figure recomputed from the database; when it is below the old process's
// value, Prometheus reads the drop as a counter reset, as it does for any
// restart.
//
// Thread safety: Update is for one owner (the thread that owns the tracker).
// The registry may be collected concurrently (prometheus-cpp locks its
// families); a scrape racing an Update may see some series from the previous
// figures and some from the new ones.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/labels.h>
#include <prometheus/registry.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tracker/sla_figures.h"

namespace slamon {

struct SlaMetricsOptions {
  // Severities whose series exist before any ticket has one: the configured
  // policies' severities.
  std::vector<std::string> severities;
};

class SlaMetrics {
 public:
  // Registers the families in `registry`, which the caller may share with
  // other metrics (DaemonMetrics). Throws if the registry already holds a
  // family of the same name with another type (start-up wiring).
  explicit SlaMetrics(std::shared_ptr<prometheus::Registry> registry,
                      const SlaMetricsOptions& options = {});
  ~SlaMetrics();
  SlaMetrics(const SlaMetrics&) = delete;
  SlaMetrics& operator=(const SlaMetrics&) = delete;

  void Update(const SlaFigures& figures);

  const std::shared_ptr<prometheus::Registry>& registry() const { return registry_; }

 private:
  // A gauge family whose series are exactly the ones last published.
  class GaugeFamily {
   public:
    explicit GaugeFamily(prometheus::Family<prometheus::Gauge>& family)
        : family_(&family) {}
    void Publish(const std::map<prometheus::Labels, double>& values);

   private:
    prometheus::Family<prometheus::Gauge>* family_;
    std::map<prometheus::Labels, prometheus::Gauge*> exported_;
  };

  // Adds to `counter` what `figure` grew by since the counter's last figure
  // (0 for a new series); a shrinking figure leaves the counter alone.
  void Follow(prometheus::Counter& counter, int64_t figure);
  void Learn(const SlaFigures& figures);
  void UpdateClocks(const SlaFigures& figures);
  void UpdatePartners(const SlaFigures& figures);
  void UpdateVersions(const SlaFigures& figures);

  std::shared_ptr<prometheus::Registry> registry_;
  std::set<std::string> severities_;                            // known severities
  std::set<std::string> partners_;                              // known partners
  std::set<std::string> products_;                              // known products
  std::map<const prometheus::Counter*, int64_t> figures_seen_;  // by Follow

  GaugeFamily clocks_;
  prometheus::Family<prometheus::Counter>& breaches_;
  prometheus::Family<prometheus::Counter>& met_;
  GaugeFamily next_deadline_;
  GaugeFamily incidents_used_;
  GaugeFamily incidents_limit_;
  GaugeFamily credits_;
  GaugeFamily billable_;
  GaugeFamily period_end_;
  GaugeFamily unlimited_;
  prometheus::Family<prometheus::Counter>& fees_;
  GaugeFamily certified_employees_;
  GaugeFamily certification_expiry_;
  GaugeFamily unsupported_;
  GaugeFamily outdated_;
  prometheus::Gauge& open_tickets_;
  prometheus::Gauge& timers_;
  prometheus::Gauge& tracker_time_;
};

}  // namespace slamon
