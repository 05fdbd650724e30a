// Status and Result<T>: how an error travels between modules.
//
// A Status is either ok or an error with a message written for the person
// who reads the log or the terminal ("line 3: not a date-time: \"x\""); the
// message is shown as it is, so the code that makes it names the place of
// the bad input and never puts a secret in it. A Result<T> holds either a T
// or an error Status. Both are [[nodiscard]]: a caller must look at them.
//
// There is no default: a Status is made with Status::Ok() or
// Status::Error(message), so forgetting to set it does not read as success.
// A Result is made from a T (success) or from an error Status; making one
// from Status::Ok() is a programming error (asserted).
//
// Libraries (libpqxx, Beast, yaml-cpp) throw; their exceptions are caught in
// the module that uses them and returned as a Status. Value types, no
// threads: a Status or Result is as thread-safe as a std::string.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace slamon {

class [[nodiscard]] Status {
 public:
  static Status Ok() { return Status(true, std::string()); }
  static Status Error(std::string message) { return Status(false, std::move(message)); }
  // An error after which what was already delivered is gone from its source
  // (a database failover lost committed rows): the caller cannot go on from
  // where it is and must start over. The one kind of error callers tell apart.
  static Status DataLost(std::string message) {
    Status status(false, std::move(message));
    status.data_lost_ = true;
    return status;
  }

  bool ok() const { return ok_; }
  bool data_lost() const { return data_lost_; }
  // What went wrong; "" when ok.
  const std::string& message() const { return message_; }
  // "ok" or the message, for logs and tests.
  std::string ToString() const { return ok_ ? std::string("ok") : message_; }

 private:
  Status(bool ok, std::string message) : ok_(ok), message_(std::move(message)) {}

  bool ok_;
  bool data_lost_ = false;
  std::string message_;
};

template <class T>
class [[nodiscard]] Result {
 public:
  // Success.
  Result(T value) : value_(std::move(value)), status_(Status::Ok()) {}  // NOLINT
  // Failure; `error` must not be ok.
  Result(Status error) : status_(std::move(error)) {  // NOLINT
    assert(!status_.ok() && "a Result is made from a value or an error Status");
    if (status_.ok()) status_ = Status::Error("internal error: no value");
  }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }

  // The value; only when ok().
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T& operator*() const& { return *value_; }
  T& operator*() & { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  const T* operator->() const { return &*value_; }
  T* operator->() { return &*value_; }

  // Status::Ok() when a value is held, else the error.
  const Status& status() const { return status_; }
  // The error's message; "" when ok.
  const std::string& error() const { return status_.message(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace slamon
