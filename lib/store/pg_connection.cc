#include "store/pg_connection.h"

#include <libpq-fe.h>

#include <pqxx/errorhandler>
#include <pqxx/except>

namespace slamon {
namespace pg_connection_detail {

pqxx::connectionpolicy::handle Policy::do_startconnect(handle orig) {
  current = pqxx::connect_direct::do_startconnect(orig);
  last_error.clear();
  return current;
}

// pqxx closes a session it found broken (when it tries to reactivate it, or
// at the end): libpq's message is kept first, as the handle goes with it.
void Policy::Keep(handle h) noexcept {
  if (h == nullptr || PQstatus(h) == CONNECTION_OK) return;
  try {
    last_error = PQerrorMessage(h);
  } catch (...) {
    last_error.clear();
  }
}

pqxx::connectionpolicy::handle Policy::do_dropconnect(handle orig) noexcept {
  Keep(orig);
  current = pqxx::connect_direct::do_dropconnect(orig);
  return current;
}

pqxx::connectionpolicy::handle Policy::do_disconnect(handle orig) noexcept {
  Keep(orig);
  current = pqxx::connect_direct::do_disconnect(orig);
  return current;
}

}  // namespace pg_connection_detail

// Keeps the last FATAL (or PANIC) the server sent as a notice: its reason
// for ending the session when it came while the session was idle.
class PgConnection::Notices final : public pqxx::errorhandler {
 public:
  explicit Notices(pqxx::connection_base& connection) : pqxx::errorhandler(connection) {}
  bool operator()(const char message[]) noexcept override {
    try {
      const std::string text(message);
      if (text.rfind("FATAL:", 0) == 0 || text.rfind("PANIC:", 0) == 0) {
        last_fatal = OneLine(text, 500);
      }
    } catch (...) {
      // Out of memory: the reason is lost, the session is not.
    }
    return true;  // let pqxx's default handler (none) see it too
  }
  std::string last_fatal;
};

PgConnection::PgConnection(const std::string& options)
    : PolicyHolder(options), pqxx::connection_base(policy) {
  init();
  notices_ = std::make_unique<Notices>(*this);
}

PgConnection::~PgConnection() {
  notices_.reset();
  close();
}

std::string PgConnection::LostReason() const {
  if (is_open()) return "";
  std::string libpq;
  if (policy.current != nullptr && PQstatus(policy.current) != CONNECTION_OK) {
    libpq = PQerrorMessage(policy.current);
  } else {
    libpq = policy.last_error;
  }
  libpq = OneLine(libpq, 500);
  std::string fatal = notices_ != nullptr ? notices_->last_fatal : "";
  if (fatal.empty() || libpq.find(fatal) != std::string::npos) return libpq;
  if (libpq.empty()) return fatal;
  return fatal + " " + libpq;
}

std::string ConnectionFailure(const std::exception& e, const PgConnection* connection) {
  if (connection == nullptr || connection->is_open()) return OneLine(e.what());
  std::string reason = connection->LostReason();
  if (reason.empty()) reason = OneLine(e.what(), 500);
  return OneLine("lost the connection to the database: " + reason);
}

std::string OneLine(const std::string& text, size_t limit) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    size_t first = start;
    size_t last = end;
    while (first < last &&
           (text[first] == ' ' || text[first] == '\t' || text[first] == '\r'))
      ++first;
    while (last > first &&
           (text[last - 1] == ' ' || text[last - 1] == '\t' || text[last - 1] == '\r'))
      --last;
    if (last > first) {
      if (!out.empty()) out += ' ';
      out.append(text, first, last - first);
    }
    start = end + 1;
  }
  if (out.size() > limit) {
    size_t cut = limit;
    // Do not cut a UTF-8 sequence in two.
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "…";
  }
  return out;
}

}  // namespace slamon
