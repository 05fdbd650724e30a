#include "ingest/ingest_writer.h"

#include <memory>
#include <optional>
#include <pqxx/pqxx>

#include "store/pg_connection.h"

namespace slamon {
namespace {

// Parameters are text or NULL (nullptr); PostgreSQL casts them to the column.
const char* OrNull(const std::string& text) {
  return text.empty() ? nullptr : text.c_str();
}

constexpr const char* kInsertEventSql =
    "INSERT INTO slamon.ticket_events "
    "(ticket_id, at, kind, partner_id, severity, incidents, product, version, event_id) "
    "VALUES ($1, to_timestamp($2::bigint), $3, $4, $5, $6::integer, $7, $8, $9) "
    "ON CONFLICT (event_id) WHERE event_id IS NOT NULL DO NOTHING";

constexpr const char* kUpsertPartnerSql =
    "INSERT INTO slamon.partners "
    "(id, name, contract_signed_at, timezone, policy, holidays, credit) "
    "VALUES ($1, $2, to_timestamp($3::bigint), $4, $5, $6, $7) "
    "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, "
    "contract_signed_at = EXCLUDED.contract_signed_at, timezone = EXCLUDED.timezone, "
    "policy = EXCLUDED.policy, holidays = EXCLUDED.holidays, credit = EXCLUDED.credit";

constexpr const char* kInsertCertificationSql =
    "INSERT INTO slamon.certifications (partner_id, employee, passed_at) "
    "VALUES ($1, $2, to_timestamp($3::bigint)) ON CONFLICT DO NOTHING";

constexpr const char* kUpsertReleaseSql =
    "INSERT INTO slamon.releases (product, version, released_at) "
    "VALUES ($1, $2, to_timestamp($3::bigint)) "
    "ON CONFLICT (product, version) DO UPDATE SET released_at = EXCLUDED.released_at";

std::string Epoch(Instant t) { return std::to_string(t.time_since_epoch().count()); }

// One writer thread's connection, opened on demand.
class Connection {
 public:
  explicit Connection(const std::string& connection_string)
      : connection_string_(connection_string) {}

  IngestOutcome Write(const IngestBatch& batch) {
    IngestOutcome outcome;
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        Open();
        return Transaction(batch);
      } catch (const pqxx::broken_connection& e) {
        outcome.written = Status::Error(ConnectionFailure(e, connection_.get()));
        connection_.reset();  // and try once more on a new connection
      } catch (const std::exception& e) {
        outcome.written = Status::Error(ConnectionFailure(e, connection_.get()));
        if (connection_ && !connection_->is_open()) connection_.reset();
        return outcome;
      }
    }
    return outcome;
  }

 private:
  void Open() {
    if (connection_ && connection_->is_open()) return;
    connection_.reset();
    auto connection = std::make_unique<PgConnection>(connection_string_);
    connection->prepare("ingest_event", kInsertEventSql);
    connection->prepare("ingest_partner", kUpsertPartnerSql);
    connection->prepare("ingest_certification", kInsertCertificationSql);
    connection->prepare("ingest_release", kUpsertReleaseSql);
    connection_ = std::move(connection);
  }

  IngestOutcome Transaction(const IngestBatch& batch) {
    IngestOutcome outcome;
    pqxx::work work(*connection_, "slamon ingest");
    for (const Partner& p : batch.partners) {
      const std::string zone = p.zone != nullptr ? std::string(p.zone->name()) : "UTC";
      const std::string credit(CreditName(p.credit));
      work.exec_prepared("ingest_partner", p.id, p.name, Epoch(p.contract_signed_at),
                         zone, p.policy, OrNull(p.holidays), credit);
      ++outcome.references;
    }
    for (const Certification& c : batch.certifications) {
      work.exec_prepared("ingest_certification", c.partner, c.employee,
                         Epoch(c.passed_at));
      ++outcome.references;
    }
    for (const Release& r : batch.releases) {
      work.exec_prepared("ingest_release", r.product, r.version, Epoch(r.released_at));
      ++outcome.references;
    }
    for (const IngestEvent& e : batch.events) {
      const TicketEvent& event = e.event;
      const bool opened = event.kind == EventKind::kOpened;
      const bool severity = opened || event.kind == EventKind::kSeverity;
      const bool incidents = opened || event.kind == EventKind::kIncidents;
      const std::string kind(ToString(event.kind));
      const std::string count = std::to_string(event.incidents);
      const std::string none;
      const pqxx::result result = work.exec_prepared(
          "ingest_event", e.ticket, Epoch(event.at), kind,
          OrNull(opened ? event.partner : none), OrNull(severity ? event.severity : none),
          incidents ? count.c_str() : nullptr, OrNull(opened ? event.product : none),
          OrNull(opened ? event.version : none), e.event_id);
      if (result.affected_rows() == 1) {
        ++outcome.events_stored;
      } else {
        ++outcome.events_duplicate;
      }
    }
    work.commit();
    outcome.written = Status::Ok();
    return outcome;
  }

  const std::string& connection_string_;
  std::unique_ptr<PgConnection> connection_;
};

}  // namespace

IngestWriter::IngestWriter(IngestWriterOptions options) : options_(std::move(options)) {
  if (options_.threads == 0) options_.threads = 1;
}

IngestWriter::~IngestWriter() { Stop(); }

void IngestWriter::Start() {
  for (std::size_t i = 0; i < options_.threads; ++i)
    threads_.emplace_back([this] { Run(); });
}

void IngestWriter::Stop() {
  std::deque<Job> abandoned;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    abandoned.swap(queue_);
  }
  wake_.notify_all();
  for (Job& job : abandoned) {
    IngestOutcome outcome;
    outcome.written = Status::Error("slamon is stopping");
    job.done(std::move(outcome));
  }
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

bool IngestWriter::Submit(std::string body, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= options_.max_queued) return false;
    queue_.push_back({std::move(body), std::move(done)});
  }
  wake_.notify_one();
  return true;
}

void IngestWriter::Run() {
  Connection connection(options_.connection_string);
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    auto parsed = ParseIngestBody(job.body);
    if (auto* error = std::get_if<IngestError>(&parsed)) {
      IngestOutcome outcome;
      outcome.invalid = std::move(*error);
      job.done(std::move(outcome));
      continue;
    }
    job.done(connection.Write(std::get<IngestBatch>(parsed)));
  }
}

}  // namespace slamon
