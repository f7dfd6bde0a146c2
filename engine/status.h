// Errors as values. A Status is ok or carries a message; Result<T> is a T or a failed Status.
// Loaders put "file:line:column: " at the front of the message; callers above them pass it on.
#ifndef FLEETSIM_ENGINE_STATUS_H_
#define FLEETSIM_ENGINE_STATUS_H_

#include <string>
#include <utility>
#include <variant>

namespace fleetsim {

class Status {
 public:
  Status() = default;  // ok
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message), true); }

  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

 private:
  Status(std::string message, bool failed) : message_(std::move(message)), failed_(failed) {}
  std::string message_;
  bool failed_ = false;
};

// REQUIRES: a Result built from a Status is built from a failed one.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}       // NOLINT(google-explicit-constructor)
  Result(Status error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // REQUIRES: !ok().
  const Status& status() const { return std::get<Status>(state_); }
  const std::string& error() const { return status().message(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_ENGINE_STATUS_H_
