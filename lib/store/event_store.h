// EventStore: slamon's reads of the ticket database (libpqxx 6.4).
//
// Blocking calls for one thread (the daemon's database thread; never the
// event loop). Every query is a named constant in event_store.cc beside the
// code that reads its rows; libpqxx exceptions stay inside and become a
// Status the caller must look at.
//
// Never missing or doubling an event: the log's rows carry the inserting
// transaction's id (xid8). Each read takes a snapshot and asks for the rows of
// transactions at or after the previous snapshot's xmin (every transaction
// that was not yet visible then); rows already delivered are remembered until
// their transaction is older than the current xmin. So a transaction that
// commits a lower seq after a higher one is still read, exactly once. A long
// open transaction in the database makes each read rescan the rows since it
// began.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/release.h"
#include "instant/instant.h"
#include "quota/certification.h"
#include "quota/partner.h"
#include "store/event_row.h"
#include "store/event_source.h"
#include "store/shard.h"

namespace slamon {

class EventStore final : public EventSource {
 public:
  // `shard`: read only that shard's partners, certifications and tickets.
  explicit EventStore(std::string connection_string, const Shard& shard = {});
  ~EventStore();
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  // Connects and LISTENs on the schema's channels. Safe to call again after a
  // failure; a successful call resets nothing about what was delivered.
  Status Connect() override;
  bool Connected() const override;

  Status LoadReference(ReferenceData* out) override;

  // Delivers every event in the log, in seq order, in batches of `batch_rows`
  // (streamed through a cursor: the log is never one result in memory).
  Status LoadAllEvents(Instant now, size_t batch_rows,
                       const std::function<void(EventBatch&&)>& sink) override;

  // Delivers the events committed since the previous read (or load).
  Status ReadNewEvents(Instant now,
                       const std::function<void(EventBatch&&)>& sink) override;

  // All events of one ticket (to reload a ticket released from memory).
  Status LoadTicket(const std::string& ticket, Instant now, EventBatch* out) override;

  // All events, in seq order, of the tickets whose `opened` row names the
  // partner (one snapshot; for `slamon report`).
  Status LoadPartnerTickets(const std::string& partner, Instant now, EventBatch* out);

  // Waits up to `timeout` for a notification on the schema's channels.
  Status Wait(std::chrono::milliseconds timeout, Notifications* woke) override;

 private:
  // The events one query with one parameter returns, in one snapshot.
  Status LoadEvents(const std::string& sql, const std::string& parameter, Instant now,
                    EventBatch* out);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace slamon
