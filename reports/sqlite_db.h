// A thin RAII layer over the SQLite C API for the run store: a connection and prepared statements
// whose failures come back as Status values carrying SQLite's message and result code.
#ifndef FLEETSIM_REPORTS_SQLITE_DB_H_
#define FLEETSIM_REPORTS_SQLITE_DB_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace fleetsim {

// A failed SQLite call: the message and the primary result code (SQLITE_NOTADB, SQLITE_FULL...).
struct SqliteError {
  int code = 0;
  std::string message;
};

class SqliteStatement;

// One connection. Not thread-safe: one thread uses it at a time.
class SqliteDb {
 public:
  SqliteDb() = default;
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Opens `path` read-write (read-only when the OS write-protects it), creating it only if
  // `create`. On failure returns false and fills last_error().
  bool Open(const std::string& path, bool create);
  // Runs one or more statements without results. False on failure (see last_error()).
  bool Exec(const std::string& sql);
  // Prepares one statement. False on failure (see last_error()).
  bool Prepare(std::string_view sql, SqliteStatement* statement);

  const SqliteError& last_error() const { return error_; }
  sqlite3* handle() { return db_; }
  // Records the connection's current error (after a failed call on a statement of it).
  void CaptureError();

 private:
  sqlite3* db_ = nullptr;
  SqliteError error_;
};

// A prepared statement. Bind indices are 1-based, column indices 0-based, as in SQLite.
class SqliteStatement {
 public:
  SqliteStatement() = default;
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void Bind(int index, int64_t value);
  void Bind(int index, double value);
  void Bind(int index, std::string_view value);
  void Bind(int index, std::optional<double> value);  // nullopt binds NULL
  void BindNull(int index);

  // Steps once: true with a row available, false when done or failed (failed() says which).
  bool Step();
  // Steps a statement that returns no rows, then resets it for the next bindings. False on
  // failure.
  bool Run();
  void Reset();
  bool failed() const { return failed_; }

  bool IsNull(int column) const;
  int64_t Int(int column) const;
  double Real(int column) const;
  std::optional<double> OptionalReal(int column) const;
  std::string Text(int column) const;

 private:
  friend class SqliteDb;
  sqlite3_stmt* stmt_ = nullptr;
  SqliteDb* db_ = nullptr;
  bool failed_ = false;
};

}  // namespace fleetsim

#endif  // FLEETSIM_REPORTS_SQLITE_DB_H_
