#include "store/event_store.h"

#include <chrono>
#include <deque>
#include <map>
#include <pqxx/pqxx>
#include <vector>

#include "store/pg_connection.h"
#include "store/schema.h"
#include "store/shard.h"

namespace slamon {
namespace {

// A timestamptz column as whole epoch seconds, NULL when it is NULL or
// +/-infinity (which a feeder can write and bigint cannot hold: casting it
// would fail the whole query, every time). The reader says which.
// date_part's double, not extract's numeric: a third cheaper per row on the
// load, and exact to the second for any instant slamon accepts.
#define SLAMON_EPOCH(column) \
  "CASE WHEN isfinite(" column ") THEN floor(date_part('epoch', " column "))::int8 END"

// The columns every event query returns, in this order, with `xid` as the
// column before the last (an expression: the load asks for it only where it
// matters). The last one says whether `at` is +/-infinity (the epoch column
// is then NULL).
std::string EventColumns(const std::string& xid) {
  return "seq, ticket_id, " SLAMON_EPOCH("at") ", kind, partner_id, severity, "
         "incidents, product, version, " +
         xid + ", NOT isfinite(at)";
}
const std::string kEventColumns = EventColumns("xid::text::int8");

// Which history the server holds: its system identifier and its timeline
// (the first 8 hex digits of its current WAL file's name). A promoted
// standby (a failover, a switchover) or a restored backup starts a new
// timeline; a restart keeps it. Executable by any role.
constexpr const char* kHistorySql =
    "SELECT (SELECT system_identifier FROM pg_control_system())::text || '/' || "
    "substr(pg_walfile_name(pg_current_wal_insert_lsn()), 1, 8)";

// How many of the rows (seq, xid) given as two arrays the table still holds.
constexpr const char* kStillThereSql =
    "SELECT count(*) FROM unnest($1::int8[], $2::int8[]) AS r(seq, xid) "
    "JOIN slamon.ticket_events e ON e.seq = r.seq AND e.xid = r.xid::text::xid8";

// Rows delivered over this long before a new timeline are checked against it
// (an asynchronous standby lags by far less; Patroni's default refuses to
// promote one more than 1 MB of WAL behind), at most kMaxRecentRows of them.
constexpr auto kRecentWindow = std::chrono::seconds{60};
constexpr size_t kMaxRecentRows = 1000000;

// The oldest transaction still running at this snapshot.
constexpr const char* kSnapshotXminSql =
    "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

// The queries of one shard (see store/shard.h); without sharding every
// condition is TRUE.
struct Queries {
  explicit Queries(const Shard& shard) {
    const std::string tickets = ShardTicketCondition(shard, "ticket_id");
    load_from = " FROM slamon.ticket_events WHERE " + tickets + " ORDER BY seq";
    // One statement, one round trip: its snapshot's xmin (column 0) and the
    // rows of the transactions at or after the previous xmin. A single
    // statement sees one snapshot, which pg_current_snapshot() returns; with
    // no such row it is one row of NULL event columns.
    events_since =
        "SELECT s.xmin, e.* FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())"
        "::text::int8 AS xmin) s LEFT JOIN LATERAL (SELECT " +
        kEventColumns + " FROM slamon.ticket_events WHERE xid >= $1::text::xid8 AND " +
        tickets + ") e ON true ORDER BY e.seq";
    // holidays and credit (schema version 2) are read through to_jsonb, which
    // yields NULL for a column a version-1 schema lacks: a new replica started
    // before `slamon migrate` reads what version 1 meant (no holidays, quota).
    partners =
        "SELECT id, name, " SLAMON_EPOCH("contract_signed_at") ", "
        "timezone, policy, to_jsonb(p) ->> 'holidays', to_jsonb(p) ->> 'credit' "
        "FROM slamon.partners p WHERE " +
        ShardPartnerCondition(shard, "id") + " ORDER BY id";
    certifications =
        "SELECT partner_id, employee, " SLAMON_EPOCH("passed_at") " "
        "FROM slamon.certifications WHERE " +
        ShardPartnerCondition(shard, "partner_id") +
        " ORDER BY partner_id, employee, passed_at";
  }
  // The load's cursor: `xid` only for the rows of transactions at or after
  // the load snapshot's xmin (the only ones remembered), NULL for the rest.
  std::string DeclareLoadCursor(int64_t snapshot_xmin) const {
    const std::string xmin = "'" + std::to_string(snapshot_xmin) + "'::xid8";
    return "DECLARE slamon_load NO SCROLL CURSOR FOR SELECT " +
           EventColumns("CASE WHEN xid >= " + xmin + " THEN xid::text::int8 END") +
           load_from;
  }
  std::string load_from;  // the load's FROM, WHERE and ORDER BY
  std::string events_since;
  std::string partners;
  std::string certifications;
};

const std::string kTicketEventsSql =
    std::string("SELECT ") + kEventColumns +
    " FROM slamon.ticket_events WHERE ticket_id = $1 ORDER BY seq";

const std::string kPartnerTicketsSql =
    std::string("SELECT ") + kEventColumns + " FROM slamon.ticket_events WHERE " +
    OpenedForCondition("ticket_id", "opened.partner_id = $1") + " ORDER BY seq";

constexpr const char* kReleasesSql =
    "SELECT product, version, " SLAMON_EPOCH("released_at") " "
    "FROM slamon.releases ORDER BY product, released_at";
#undef SLAMON_EPOCH

template <class T>
std::optional<T> Optional(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<T>();
}

Instant FromEpoch(int64_t seconds) { return Instant{Seconds{seconds}}; }

struct Receiver : pqxx::notification_receiver {
  Receiver(pqxx::connection_base& c, std::string_view channel, bool* flag)
      : pqxx::notification_receiver(c, std::string(channel)), flag_(flag) {}
  void operator()(const std::string&, int) override { *flag_ = true; }
  bool* flag_;
};

}  // namespace

struct EventStore::Impl {
  Impl(std::string conninfo, const Shard& shard)
      : connection_string(std::move(conninfo)), queries(shard) {}
  std::string connection_string;
  Queries queries;
  std::unique_ptr<PgConnection> connection;
  bool events_flag = false;
  bool reference_flag = false;
  std::unique_ptr<Receiver> events_receiver;
  std::unique_ptr<Receiver> reference_receiver;

  bool loaded = false;
  int64_t xmin = 0;                 // snapshot xmin of the previous read
  std::map<int64_t, int64_t> seen;  // seq -> xid, for xid >= xmin

  // After a failover with asynchronous replication the new primary may lack
  // the last transactions the old one committed (and this replica applied),
  // and it hands their transaction ids out again. So: `history` is the
  // server's history (kHistorySql) as of the load and the reads since;
  // `recent` is `seen` over the last kRecentWindow (by xid), from
  // `horizons` (each read's time and snapshot xmin; recent holds every
  // delivered row with xid >= horizons.front()). A session on a new history first checks
  // that every recent row is still there (else the history this replica applied is lost:
  // only a reload can undo it), then reads again from the oldest horizon, skipping what
  // it delivered, so that rows of reused transaction ids are not missed.
  std::string history;          // of the load and the reads
  std::string session_history;  // of the current connection
  // xid -> the seqs delivered of it (by xid: pruning is a range erase)
  std::map<int64_t, std::vector<int64_t>> recent;
  size_t recent_rows = 0;
  std::deque<std::pair<std::chrono::steady_clock::time_point, int64_t>> horizons;

  Status Fail(const std::exception& e) {
    // libpq's reason, read before a broken connection is dropped (so that
    // Connect() starts afresh).
    std::string why = ConnectionFailure(e, connection.get());
    if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr ||
        (connection && !connection->is_open())) {
      Drop();
    }
    return Status::Error(std::move(why));
  }

  void Drop() {
    events_receiver.reset();
    reference_receiver.reset();
    connection.reset();
  }

  // Turns one result row into an event or a bad row. `first` is the index
  // of its seq column (the columns of EventColumns follow).
  static void Take(const pqxx::row& r, int first, Instant now, EventBatch& batch) {
    RawEventRow raw;
    raw.seq = r[first].as<int64_t>();
    raw.ticket = Optional<std::string>(r[first + 1]);
    if (auto epoch = Optional<int64_t>(r[first + 2])) raw.at = FromEpoch(*epoch);
    raw.at_infinite = !r[first + 10].is_null() && r[first + 10].as<bool>();
    raw.kind = Optional<std::string>(r[first + 3]);
    raw.partner = Optional<std::string>(r[first + 4]);
    raw.severity = Optional<std::string>(r[first + 5]);
    raw.incidents = Optional<int>(r[first + 6]);
    raw.product = Optional<std::string>(r[first + 7]);
    raw.version = Optional<std::string>(r[first + 8]);
    auto checked = CheckEventRow(std::move(raw), now);
    if (auto* event = std::get_if<EventRow>(&checked)) {
      batch.events.push_back(std::move(*event));
    } else {
      batch.bad.push_back(std::move(std::get<BadRow>(checked)));
    }
  }

  void Remember(int64_t seq, int64_t xid, int64_t snapshot_xmin) {
    if (xid >= snapshot_xmin) seen.emplace(seq, xid);
    if (!horizons.empty() && xid >= horizons.front().second) {
      recent[xid].push_back(seq);
      ++recent_rows;
    }
  }

  void ClearRecent(std::chrono::steady_clock::time_point now, int64_t horizon) {
    recent.clear();
    recent_rows = 0;
    horizons.clear();
    horizons.emplace_back(now, horizon);
  }

  void Forget(int64_t snapshot_xmin) {
    std::erase_if(seen, [&](const auto& entry) { return entry.second < snapshot_xmin; });
    xmin = snapshot_xmin;
    const auto now = std::chrono::steady_clock::now();
    horizons.emplace_back(now, snapshot_xmin);
    while (horizons.size() > 1 && (now - horizons.front().first > kRecentWindow ||
                                   recent_rows > kMaxRecentRows)) {
      horizons.pop_front();
      const auto end = recent.lower_bound(horizons.front().second);
      for (auto it = recent.begin(); it != end; ++it) recent_rows -= it->second.size();
      recent.erase(recent.begin(), end);
    }
  }

  // On a new history: whether every recent row is still there; if so, the
  // next read starts again at the oldest horizon.
  Status CheckHistory(pqxx::transaction_base& query) {
    std::string seqs = "{";
    std::string xids = "{";
    for (const auto& [xid, of_xid] : recent) {
      for (int64_t seq : of_xid) {
        if (seqs.size() > 1) {
          seqs += ',';
          xids += ',';
        }
        seqs += std::to_string(seq);
        xids += std::to_string(xid);
      }
    }
    seqs += '}';
    xids += '}';
    const auto there = query.exec_params1(kStillThereSql, seqs, xids)[0].as<int64_t>();
    const auto delivered = static_cast<int64_t>(recent_rows);
    if (there < delivered) {
      return Status::DataLost("the database lost " + std::to_string(delivered - there) +
                              " of the " + std::to_string(delivered) +
                              " events this replica read in the last minute (its history "
                              "changed from " +
                              history + " to " + session_history +
                              ": a failover to a standby that lacked them, or a restored "
                              "backup)");
    }
    // Read again from the oldest horizon: the new server's transaction ids
    // start after the last one it received, which is later than that (a
    // standby lags by less than the window), so its snapshots' xmins stay
    // at or above it and `recent` keeps every row delivered from it on.
    if (!horizons.empty()) xmin = horizons.front().second;
    horizons.clear();
    horizons.emplace_back(std::chrono::steady_clock::now(), xmin);
    seen.clear();
    for (const auto& [xid, of_xid] : recent) {
      for (int64_t seq : of_xid) seen.emplace(seq, xid);
    }
    history = session_history;
    return Status::Ok();
  }
};

EventStore::EventStore(std::string connection_string, const Shard& shard)
    : impl_(std::make_unique<Impl>(std::move(connection_string), shard)) {}

EventStore::~EventStore() = default;

bool EventStore::Connected() const {
  return impl_->connection != nullptr && impl_->connection->is_open();
}

Status EventStore::Connect() {
  try {
    impl_->Drop();
    impl_->connection = std::make_unique<PgConnection>(impl_->connection_string);
    impl_->events_receiver = std::make_unique<Receiver>(
        *impl_->connection, kEventsChannel, &impl_->events_flag);
    impl_->reference_receiver = std::make_unique<Receiver>(
        *impl_->connection, kReferenceChannel, &impl_->reference_flag);
    pqxx::nontransaction query(*impl_->connection, "slamon history");
    impl_->session_history = query.exec1(kHistorySql)[0].as<std::string>();
    return Status::Ok();
  } catch (const std::exception& e) {
    return impl_->Fail(e);
  }
}

Status EventStore::LoadReference(ReferenceData* out) {
  if (!Connected()) return Status::Error("not connected");
  try {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> read(*impl_->connection,
                                                                   "slamon reference");
    for (const auto& r : read.exec(impl_->queries.partners)) {
      Partner p;
      p.id = r[0].as<std::string>();
      p.name = r[1].is_null() ? "" : r[1].as<std::string>();
      if (r[2].is_null()) {
        out->problems.push_back("partners id " + p.id +
                                ": contract_signed_at is infinite; the partner "
                                "is skipped");
        continue;
      }
      p.contract_signed_at = FromEpoch(r[2].as<int64_t>());
      std::string zone = r[3].is_null() ? "UTC" : r[3].as<std::string>();
      try {
        p.zone = date::locate_zone(zone);
      } catch (const std::exception&) {
        out->problems.push_back("partners id " + p.id + ": unknown time zone \"" + zone +
                                "\"; the partner is skipped");
        continue;
      }
      p.policy = r[4].is_null() ? "default" : r[4].as<std::string>();
      p.holidays = r[5].is_null() ? "" : r[5].as<std::string>();
      if (Status holidays = CheckHolidaysName(p.holidays); !holidays.ok()) {
        out->problems.push_back("partners id " + p.id + ": " + holidays.message() +
                                "; the partner is skipped");
        continue;
      }
      const std::string credit = r[6].is_null() ? "quota" : r[6].as<std::string>();
      if (auto kind = ParseCredit(credit)) {
        p.credit = *kind;
      } else {
        out->problems.push_back("partners id " + p.id +
                                ": credit is neither \"quota\" nor \"paid\"; the "
                                "partner is skipped");
        continue;
      }
      out->partners.push_back(std::move(p));
    }
    for (const auto& r : read.exec(impl_->queries.certifications)) {
      if (r[2].is_null()) {
        out->problems.push_back("certifications of partner " + r[0].as<std::string>() +
                                ", employee " + r[1].as<std::string>() +
                                ": passed_at is infinite; the row is skipped");
        continue;
      }
      out->certifications.push_back({r[0].as<std::string>(), r[1].as<std::string>(),
                                     FromEpoch(r[2].as<int64_t>())});
    }
    for (const auto& r : read.exec(kReleasesSql)) {
      if (r[2].is_null()) {
        out->problems.push_back("releases " + r[0].as<std::string>() + " " +
                                r[1].as<std::string>() +
                                ": released_at is infinite; the row is skipped");
        continue;
      }
      out->releases.push_back({r[0].as<std::string>(), r[1].as<std::string>(),
                               FromEpoch(r[2].as<int64_t>())});
    }
    read.commit();
    return Status::Ok();
  } catch (const std::exception& e) {
    return impl_->Fail(e);
  }
}

Status EventStore::LoadAllEvents(Instant now, size_t batch_rows,
                                 const std::function<void(EventBatch&&)>& sink) {
  if (!Connected()) return Status::Error("not connected");
  try {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> read(*impl_->connection,
                                                                   "slamon load");
    const int64_t snapshot_xmin = read.exec1(kSnapshotXminSql)[0].as<int64_t>();
    read.exec(impl_->queries.DeclareLoadCursor(snapshot_xmin));
    const std::string fetch = "FETCH " + std::to_string(batch_rows) + " FROM slamon_load";
    impl_->seen.clear();
    impl_->ClearRecent(std::chrono::steady_clock::now(), snapshot_xmin);
    impl_->history = impl_->session_history;
    // The next FETCH is sent before this one's rows are decoded and handed
    // over, so the server reads the log while slamon turns it into events.
    pqxx::pipeline pipe(read, "slamon load");
    pqxx::pipeline::query_id next = pipe.insert(fetch);
    for (;;) {
      pqxx::result rows = pipe.retrieve(next);
      if (rows.empty()) break;
      next = pipe.insert(fetch);
      EventBatch batch;
      batch.events.reserve(rows.size());
      for (const auto& r : rows) {
        Impl::Take(r, 0, now, batch);
        if (!r[9].is_null())
          impl_->Remember(r[0].as<int64_t>(), r[9].as<int64_t>(), snapshot_xmin);
      }
      rows.clear();
      sink(std::move(batch));
    }
    pipe.complete();
    read.commit();
    impl_->Forget(snapshot_xmin);
    impl_->loaded = true;
    return Status::Ok();
  } catch (const std::exception& e) {
    return impl_->Fail(e);
  }
}

Status EventStore::ReadNewEvents(Instant now,
                                 const std::function<void(EventBatch&&)>& sink) {
  if (!Connected()) return Status::Error("not connected");
  if (!impl_->loaded) return Status::Error("ReadNewEvents before LoadAllEvents");
  try {
    // One statement in one round trip (Queries::events_since): a read on
    // every notification is the whole wait between a commit and the event
    // loop, so it is kept to one exchange with the server.
    pqxx::nontransaction read(*impl_->connection, "slamon read");
    if (impl_->session_history != impl_->history) {
      Status checked = impl_->CheckHistory(read);
      if (!checked.ok()) return checked;
    }
    pqxx::result rows =
        read.exec_params(impl_->queries.events_since, std::to_string(impl_->xmin));
    if (rows.empty()) return Status::Error("the read of new events returned no snapshot");
    const int64_t snapshot_xmin = rows[0][0].as<int64_t>();
    EventBatch batch;
    for (const auto& r : rows) {
      if (r[1].is_null()) continue;  // no new rows: the snapshot row alone
      const int64_t seq = r[1].as<int64_t>();
      if (impl_->seen.count(seq) != 0) continue;
      Impl::Take(r, 1, now, batch);
      impl_->Remember(seq, r[10].as<int64_t>(), snapshot_xmin);
    }
    impl_->Forget(snapshot_xmin);
    if (!batch.events.empty() || !batch.bad.empty()) sink(std::move(batch));
    return Status::Ok();
  } catch (const std::exception& e) {
    return impl_->Fail(e);
  }
}

Status EventStore::LoadTicket(const std::string& ticket, Instant now, EventBatch* out) {
  return LoadEvents(kTicketEventsSql, ticket, now, out);
}

Status EventStore::LoadPartnerTickets(const std::string& partner, Instant now,
                                      EventBatch* out) {
  return LoadEvents(kPartnerTicketsSql, partner, now, out);
}

Status EventStore::LoadEvents(const std::string& sql, const std::string& parameter,
                              Instant now, EventBatch* out) {
  if (!Connected()) return Status::Error("not connected");
  try {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> read(*impl_->connection,
                                                                   "slamon events");
    for (const auto& r : read.exec_params(sql, parameter)) Impl::Take(r, 0, now, *out);
    read.commit();
    return Status::Ok();
  } catch (const std::exception& e) {
    return impl_->Fail(e);
  }
}

Status EventStore::Wait(std::chrono::milliseconds timeout, Notifications* woke) {
  if (!Connected()) return Status::Error("not connected");
  try {
    impl_->events_flag = false;
    impl_->reference_flag = false;
    if (impl_->connection->get_notifs() == 0) {
      const auto ms = timeout.count();
      impl_->connection->await_notification(ms / 1000, (ms % 1000) * 1000);
    }
    woke->events = impl_->events_flag;
    woke->reference = impl_->reference_flag;
    return Status::Ok();
  } catch (const std::exception& e) {
    return impl_->Fail(e);
  }
}

}  // namespace slamon
