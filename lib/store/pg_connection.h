// PgConnection: the libpq connection of slamon's stores (events, leader
// lock, migrations, the push API's writer), which can say why it failed in
// libpq's words.
//
// libpqxx 6.4 reports a session lost during a query with a message of its
// own ("Connection to database failed", "Could not obtain client encoding:
// not connected.") and hides libpq's (PQerrorMessage: "server closed the
// connection unexpectedly", "could not receive data from server: Connection
// timed out"). The server's last word — a FATAL sent while the session was
// idle, such as "terminating connection due to administrator command" on a
// shutdown or pg_terminate_backend() — reaches only libpq's notice processor.
// PgConnection keeps both, and ConnectionFailure() puts them in the message.
// A failed connect already carries libpq's reason ("connection to server at
// ... failed: Connection refused"); libpq never prints a password.
#pragma once

#include <exception>
#include <memory>
#include <pqxx/connection>
#include <string>

namespace slamon {

namespace pg_connection_detail {
// pqxx's direct connection policy, remembering libpq's handle (PGconn) so
// that its error message can be read after pqxx gave up on the session.
class Policy final : public pqxx::connect_direct {
 public:
  explicit Policy(const std::string& options) : pqxx::connect_direct(options) {}
  handle do_startconnect(handle orig) override;
  handle do_dropconnect(handle orig) noexcept override;
  handle do_disconnect(handle orig) noexcept override;
  handle current = nullptr;  // the open session's handle, or nullptr
  std::string last_error;    // libpq's message of a session closed broken

 private:
  void Keep(handle h) noexcept;
};
// Constructed before pqxx::connection_base, which takes the policy.
struct PolicyHolder {
  explicit PolicyHolder(const std::string& options) : policy(options) {}
  Policy policy;
};
}  // namespace pg_connection_detail

class PgConnection final : private pg_connection_detail::PolicyHolder,
                           public pqxx::connection_base {
 public:
  // `options`: a libpq connection string. Throws pqxx::broken_connection
  // (with libpq's reason) when the connection cannot be made.
  explicit PgConnection(const std::string& options);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // libpq's reason the session ended, on one line: the server's last FATAL
  // (if it sent one) and libpq's error message; empty while the session is
  // open.
  std::string LostReason() const;

 private:
  class Notices;
  std::unique_ptr<Notices> notices_;
};

// The message for a failure `e` of a query on `connection` (nullptr: the
// connection could not be made): pqxx's message, or for a lost session
// "lost the connection to the database: " and libpq's reason. One line,
// at most 1,000 bytes.
std::string ConnectionFailure(const std::exception& e, const PgConnection* connection);

// `text` on one line: each line trimmed, joined by a space; at most `limit`
// bytes (cut with "…").
std::string OneLine(const std::string& text, size_t limit = 1000);

}  // namespace slamon
