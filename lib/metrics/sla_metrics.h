// SlaMetrics: the tracker's figures (SlaFigures) as Prometheus metrics,
// docs/design.md §5, built when scraped. The metric names and labels are a
// contract.
//
// A prometheus-cpp Collectable, as exporters' collectors are: each Collect()
// asks its Source for the figures now and turns them into metric families.
// Nothing is published between scrapes. It is also a MetricsText
// (exposition.h): RenderMetrics has it write the exposition text of its
// families straight into one buffer, the same text TextSerializer writes for
// Collect()'s families, without building the families (a million-ticket
// scrape has 21,000 series, 12,000 of them breach counters). The figures come
// as flat arrays by label number (tracker/scrape_figures.h); what is learnt
// of their labels (the known partners and their escaped text, the counters'
// marks) is kept by number and worked out again only when the figures'
// ScrapeLabels change. Every family has a help text, values
// are in base units (timestamps in seconds since the epoch) and no label names
// a ticket: series counts depend on the numbers of targets, severities,
// partners and products only.
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
//   scrape has seen; known targets are all three (response, workaround,
//   resolution). Every known target x severity has its four `state` series of
//   slamon_sla_clocks and its two `outcome` series (on_time, late) of
//   slamon_sla_met_total, 0 when there are none (labelled series start at 0,
//   so increase() sees the first one). Likewise every known target x severity
//   x partner has a slamon_sla_breaches_total series, where the known partners
//   are every partner any scrape has seen.
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
// - Every product any scrape has seen keeps both version gauges, 0 when no
//   open ticket is on an unsupported or outdated version.
// - slamon_tracker_time_seconds is SlaFigures::at, the instant up to which the
//   tracker has advanced its clocks (0 while the source has never answered).
//   A live daemon keeps it close to the wall clock, so `time() - it` growing
//   means the event loop or the timer wheel stopped advancing (the shipped
//   rule SlamonWheelStalled, prometheus/slamon.rules.yml).
//
// Counters: the figures behind them are functions of the ticket history in
// the database, so a restart recomputes them (docs/design.md §5);
// slamon_sla_breaches_total's figure counts breach onsets
// (engine/breach_onsets.h), so a breach undone by a re-classification stays
// counted. A counter only goes up: each scrape adds what its figure grew by
// since the previous scrape. When a figure shrank (a back-dated event or a
// postponed release undid a breach, or a re-classification turned an on-time
// stop into a late one), the counter stays where it is, and every later
// growth of the figure is added again: a later onset always counts. After a
// restart the counter starts from the figure recomputed from the database;
// when it is below the old process's value, Prometheus reads the drop as a
// counter reset, as it does for any restart.
//
// When the source has no answer (std::nullopt: in the daemon, the event loop
// did not take the snapshot in time), the scrape shows the last figures it
// had again, so a scrape is never empty of SLA series.
//
// Thread safety: Collect() and WriteText() may be called from any thread,
// also concurrently
// (the known names and counter marks are under a mutex); the Source is called
// on the scraping thread and must be safe there. In the daemon it posts the
// snapshot to the event loop, which owns the tracker, and waits for it
// (runtime/figures_on_loop.h).
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "metrics/exposition.h"
#include "tracker/scrape_figures.h"
#include "tracker/sla_figures.h"

namespace slamon {

struct SlaMetricsOptions {
  // Severities whose series exist before any ticket has one: the configured
  // policies' severities.
  std::vector<std::string> severities;
};

class SlaMetrics final : public prometheus::Collectable, public MetricsText {
 public:
  // The figures now, or std::nullopt when they cannot be had in time.
  using Source = std::function<std::optional<ScrapeFigures>()>;
  // The same from SlaFigures (Flatten on each call): tests, hand-made figures.
  using FiguresSource = std::function<std::optional<SlaFigures>()>;

  explicit SlaMetrics(Source source, const SlaMetricsOptions& options = {});
  explicit SlaMetrics(FiguresSource source, const SlaMetricsOptions& options = {});
  ~SlaMetrics() override;
  SlaMetrics(const SlaMetrics&) = delete;
  SlaMetrics& operator=(const SlaMetrics&) = delete;

  std::vector<prometheus::MetricFamily> Collect() const override;
  void WriteText(std::string& text, std::vector<Family>& families) const override;

 private:
  struct Known;  // names and counter marks, under mutex_

  Source source_;
  mutable std::mutex mutex_;
  std::unique_ptr<Known> known_;
};

}  // namespace slamon
