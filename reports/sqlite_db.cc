#include "reports/sqlite_db.h"

#include <sqlite3.h>

namespace fleetsim {

SqliteDb::~SqliteDb() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

bool SqliteDb::Open(const std::string& path, bool create) {
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  // Treat the name as a plain path, never as a URI with query parameters.
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    error_ = {rc & 0xff, db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc)};
    sqlite3_close_v2(db_);
    db_ = nullptr;
    return false;
  }
  sqlite3_extended_result_codes(db_, 0);
  return true;
}

void SqliteDb::CaptureError() { error_ = {sqlite3_errcode(db_) & 0xff, sqlite3_errmsg(db_)}; }

bool SqliteDb::Exec(const std::string& sql) {
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK) return true;
  CaptureError();
  return false;
}

bool SqliteDb::Prepare(std::string_view sql, SqliteStatement* statement) {
  sqlite3_finalize(statement->stmt_);
  statement->stmt_ = nullptr;
  statement->db_ = this;
  statement->failed_ = false;
  int rc =
      sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &statement->stmt_, nullptr);
  if (rc == SQLITE_OK) return true;
  CaptureError();
  return false;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::Bind(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }

void SqliteStatement::Bind(int index, double value) { sqlite3_bind_double(stmt_, index, value); }

void SqliteStatement::Bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
}

void SqliteStatement::Bind(int index, std::optional<double> value) {
  if (value) {
    Bind(index, *value);
  } else {
    BindNull(index);
  }
}

void SqliteStatement::BindNull(int index) { sqlite3_bind_null(stmt_, index); }

bool SqliteStatement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) {
    failed_ = true;
    db_->CaptureError();
  }
  return false;
}

bool SqliteStatement::Run() {
  Step();
  bool ok = !failed_;
  Reset();
  return ok;
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  failed_ = false;
}

bool SqliteStatement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t SqliteStatement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

double SqliteStatement::Real(int column) const { return sqlite3_column_double(stmt_, column); }

std::optional<double> SqliteStatement::OptionalReal(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Real(column);
}

std::string SqliteStatement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

}  // namespace fleetsim
