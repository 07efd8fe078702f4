#pragma once
#include <soci/soci.h>

#include <map>
#include <memory>
#include <string>

#include "common/error.hpp"

namespace fulfil::store {

enum class Dialect { sqlite, postgresql };

class WriterTurns;

// How hard a connection's commits are pushed to disk. `relaxed` (SQLite: synchronous=NORMAL
// in WAL; PostgreSQL: synchronous_commit=off) may lose the last commits on power loss or a
// server crash, never on a crash of fulfild, and never corrupts: right for platform sync, whose
// checkpoint commits together with the trades, so a lost commit is simply fetched again. `strict`
// (synchronous=FULL) is for facts that exist nowhere else: imports, scans, waybills.
enum class Durability { relaxed, strict };

// Where the store lives, parsed from a URL: "sqlite:var/fulfild.db", "sqlite:///abs.db",
// "postgresql://user@host:port/db" (libpq URI; "postgres://" too).
struct StoreUrl {
  Dialect dialect = Dialect::sqlite;
  std::string target;  // file path for SQLite, the libpq connection string for PostgreSQL
  static Result<StoreUrl> parse(std::string_view url);
  // The URL with any password replaced by ***, for logs and check-config.
  std::string masked() const;
};

// One open database connection (one SOCI session). Not thread-safe: one per thread/job.
class Connection {
 public:
  // Opens and configures a connection (WAL, busy timeout, foreign keys on SQLite).
  static Result<std::unique_ptr<Connection>> open(const StoreUrl& url, Durability durability);

  // The session to run statements on: inside a write transaction on SQLite, the process's
  // shared writer (see WriteTransaction); otherwise this connection's own.
  soci::session& sql() { return m_writing_through ? m_writing_through->m_session : m_session; }
  // SQLite: this connection's commits no longer copy the WAL back into the database (the
  // copy then lands on whichever request commits past 1,000 pages: a latency spike);
  // checkpoint() from a background job does it instead. No-op on PostgreSQL.
  void defer_checkpoints();
  // Copies what it can of the WAL into the database without blocking anyone (PASSIVE).
  void checkpoint();
  Dialect dialect() const { return m_dialect; }
  // The native handle of sql()'s session, for the bulk writer only.
  void* native_handle();
  // SQLite: `sql` prepared once on sql()'s session and kept until that connection closes
  // (the bulk writer's inserts). The caller resets it after each use.
  void* prepared_sqlite(const std::string& sql);
  ~Connection();
  // The turns this process's writers to the same SQLite file take (null on PostgreSQL).
  WriterTurns* writer_turns() { return m_turns.get(); }

 private:
  friend class WriteTransaction;
  Connection(Dialect d) : m_dialect(d) {}
  // SQLite: the connection this process's writers to the file share, with this connection's
  // durability and checkpoint setting for the transaction about to begin.
  Connection& shared_writer();
  soci::session m_session;
  Dialect m_dialect;
  std::string m_file;  // SQLite
  Durability m_durability = Durability::strict;
  bool m_defers_checkpoints = false;
  std::shared_ptr<WriterTurns> m_turns;
  Connection* m_writing_through = nullptr;  // the shared writer, inside a write transaction
  std::map<std::string, void*, std::less<>> m_prepared;  // SQLite statements, by their SQL
};

// A write transaction: BEGIN IMMEDIATE on SQLite (a read-then-write transaction started
// with plain BEGIN can fail with SQLITE_BUSY_SNAPSHOT) after waiting for this process's
// turn at the file (WriterTurns), BEGIN on PostgreSQL. Rolls back unless committed.
// On SQLite the turn's holder writes through the one connection the process's writers share
// (Connection::sql() points there until the commit): SQLite drops a connection's page cache
// whenever another connection has written, so with a connection per writer every turn began
// by reading its pages again; through one connection they stay cached from turn to turn.
class WriteTransaction {
 public:
  explicit WriteTransaction(Connection& c);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

 private:
  Connection& m_conn;
  WriterTurns* m_turns = nullptr;  // held until the commit or rollback
  bool m_open = true;
  void forget_shared_writer();
  void end_turn();
};

// Runs fn inside a write transaction, turning database exceptions into storage errors.
// fn returns Result<T>; a failed Result rolls the transaction back.
template <class Fn>
auto in_transaction(Connection& c, Fn&& fn) -> decltype(fn()) {
  try {
    WriteTransaction tx(c);
    auto r = fn();
    if (r) tx.commit();
    return r;
  } catch (const std::exception& e) {
    return fail(ErrorKind::storage, e.what());
  }
}

// Runs a read-only fn, turning database exceptions into storage errors.
template <class Fn>
auto guarded(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return fail(ErrorKind::storage, e.what());
  }
}

}  // namespace fulfil::store
