#include "store/database.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <libpq-fe.h>

#include <filesystem>
#include <stdexcept>

#include "store/writer_turns.hpp"

namespace fulfil::store {

Result<StoreUrl> StoreUrl::parse(std::string_view url) {
  StoreUrl out;
  if (url.starts_with("sqlite:")) {
    out.dialect = Dialect::sqlite;
    auto rest = url.substr(7);
    if (rest.starts_with("//")) rest.remove_prefix(2);  // sqlite:///abs/path -> /abs/path
    if (rest.empty()) return fail(ErrorKind::config, "store url: sqlite: needs a file path");
    out.target = std::string(rest);
    return out;
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    out.dialect = Dialect::postgresql;
    out.target = std::string(url);
    return out;
  }
  return fail(ErrorKind::config,
              "store url \"" + std::string(url) + "\": expected sqlite:PATH or postgresql://...");
}

std::string StoreUrl::masked() const {
  if (dialect == Dialect::sqlite) return "sqlite:" + target;
  // postgresql://user:secret@host -> postgresql://user:***@host
  auto scheme_end = target.find("://");
  auto at = target.find('@');
  if (scheme_end == std::string::npos || at == std::string::npos) return target;
  auto colon = target.find(':', scheme_end + 3);
  if (colon == std::string::npos || colon > at) return target;
  return target.substr(0, colon + 1) + "***" + target.substr(at);
}

namespace {

// SOCI 4.0 treats its connection string as keyword=value pairs and mangles a URI, so the
// URI is turned into libpq's keyword form here (libpq itself parses it).
Result<std::string> conninfo_from_uri(const std::string& uri) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(uri.c_str(), &err);
  if (!opts) {
    std::string why = err ? err : "unparseable";
    if (err) PQfreemem(err);
    return fail(ErrorKind::config, "store url: " + why);
  }
  std::string out;
  bool timeout_given = false;
  for (PQconninfoOption* o = opts; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    timeout_given = timeout_given || std::string_view(o->keyword) == "connect_timeout";
    std::string v;
    for (const char* c = o->val; *c; ++c) {
      if (*c == '\\' || *c == '\'') v.push_back('\\');
      v.push_back(*c);
    }
    out += std::string(out.empty() ? "" : " ") + o->keyword + "='" + v + "'";
  }
  PQconninfoFree(opts);
  // An unreachable server fails a connection in 10 s rather than after the system's TCP
  // timeout (minutes), unless the URL says otherwise (?connect_timeout=N).
  if (!timeout_given) out += " connect_timeout='10'";
  return out;
}

// Two of SQLite's mutexes we do not need, both seen in the whole path's profile. It counts
// every allocation under a global mutex (memory statistics we never read). And in its
// default serialized mode it locks a connection's mutex around every call, each column read
// of each row included (4% of the whole path's CPU); multi-thread mode leaves that out and
// asks only that a connection be used by one thread at a time, which soci::session asks
// already (StoreAccess gives each thread its own). Only possible before SQLite initialises,
// so once, before the first connection opens.
void configure_sqlite() {
  static const bool done = [] {
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // SOCI's header wraps sqlite3.h
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    return true;
  }();
  (void)done;
}

// SQLite's fsync setting for a durability (WAL: NORMAL syncs only at checkpoints).
const char* synchronous_pragma(Durability d) {
  return d == Durability::strict ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL";
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::open(const StoreUrl& url, Durability durability) {
  std::unique_ptr<Connection> c(new Connection(url.dialect));
  try {
    if (url.dialect == Dialect::sqlite) {
      // The default's folder (var/) is made on first start; any other folder must exist, so
      // a mistyped --store names the mistake instead of opening a fresh, empty store.
      const auto parent = std::filesystem::path(url.target).parent_path();
      std::error_code ec;
      if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
        if (parent.is_relative() && *parent.begin() == "var")
          std::filesystem::create_directories(parent);
        else
          return fail(ErrorKind::config, "store " + url.masked() + ": the folder " +
                                             parent.string() + " does not exist");
      }
      configure_sqlite();
      // timeout=30 is SOCI's sqlite3_busy_timeout: writers wait up to 30 s for the lock.
      c->m_session.open(soci::sqlite3, "db=" + url.target + " timeout=30");
      // SOCI's SQLite backend takes no journal_mode/foreign_keys options: set them here.
      c->m_session << "PRAGMA journal_mode=WAL";
      c->m_session << synchronous_pragma(durability);
      c->m_session << "PRAGMA foreign_keys=ON";
      // Reads of a large store (a million queued parcels) go through memory-mapped pages and a
      // 32 MiB page cache rather than a read() per page into SQLite's default 2 MB cache.
      c->m_session << "PRAGMA mmap_size=1073741824";
      c->m_session << "PRAGMA cache_size=-32768";
      c->m_file = url.target;
      c->m_durability = durability;
      c->m_turns = WriterTurns::of(url.target);
    } else {
      auto conninfo = conninfo_from_uri(url.target);
      if (!conninfo) return std::unexpected(conninfo.error());
      c->m_session.open(soci::postgresql, *conninfo);
      c->m_session << "SET TIME ZONE 'UTC'";
      c->m_session << "SET client_min_messages = warning";  // no NOTICEs on stderr
      // Relaxed as on SQLite: a server crash may lose the last commits (they are fetched
      // again), never corrupt; the commit does not wait for its WAL flush.
      if (durability == Durability::relaxed) c->m_session << "SET synchronous_commit = off";
    }
  } catch (const std::exception& e) {
    return fail(ErrorKind::storage, "cannot open store " + url.masked() + ": " + e.what());
  }
  return c;
}

void Connection::defer_checkpoints() {
  if (m_dialect != Dialect::sqlite) return;
  m_session << "PRAGMA wal_autocheckpoint=0";
  m_defers_checkpoints = true;
}

void Connection::checkpoint() {
  if (m_dialect == Dialect::sqlite) m_session << "PRAGMA wal_checkpoint(PASSIVE)";
}

void* Connection::native_handle() {
  auto* backend = sql().get_backend();
  if (m_dialect == Dialect::sqlite)
    return static_cast<soci::sqlite3_session_backend*>(backend)->conn_;
  return static_cast<soci::postgresql_session_backend*>(backend)->conn_;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : m_prepared)
    sqlite_api::sqlite3_finalize(static_cast<sqlite_api::sqlite3_stmt*>(stmt));
}

void* Connection::prepared_sqlite(const std::string& sql) {
  if (m_writing_through) return m_writing_through->prepared_sqlite(sql);
  auto it = m_prepared.find(sql);
  if (it == m_prepared.end()) {
    auto* db = static_cast<sqlite_api::sqlite3*>(native_handle());
    sqlite_api::sqlite3_stmt* stmt = nullptr;
    if (sqlite_api::sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt,
                                       nullptr) != SQLITE_OK)
      throw std::runtime_error("prepare \"" + sql + "\": " + sqlite_api::sqlite3_errmsg(db));
    it = m_prepared.emplace(sql, stmt).first;
  }
  return it->second;
}

Connection& Connection::shared_writer() {
  Connection& w = m_turns->shared_writer([&] {
    auto opened = open(StoreUrl{Dialect::sqlite, m_file}, m_durability);
    if (!opened) throw std::runtime_error(opened.error().message);
    (*opened)->m_turns.reset();  // it writes only within another connection's turn
    return std::move(*opened);
  });
  // Each transaction keeps the durability and checkpoint setting of the connection it
  // belongs to (two pragmas, run only when they change).
  if (w.m_durability != m_durability) {
    w.m_session << synchronous_pragma(m_durability);
    w.m_durability = m_durability;
  }
  if (w.m_defers_checkpoints != m_defers_checkpoints) {
    w.m_session << (m_defers_checkpoints ? "PRAGMA wal_autocheckpoint=0"
                                         : "PRAGMA wal_autocheckpoint=1000");
    w.m_defers_checkpoints = m_defers_checkpoints;
  }
  return w;
}

WriteTransaction::WriteTransaction(Connection& c) : m_conn(c) {
  // SQLite's busy timeout (30 s) is the patience here too; past it BEGIN meets the lock
  // and its timeout on this connection's own session, as before.
  try {
    if (auto* turns = c.writer_turns(); turns && turns->acquire(std::chrono::seconds(30))) {
      m_turns = turns;
      c.m_writing_through = &c.shared_writer();
    }
    m_conn.sql() << (c.dialect() == Dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
  } catch (...) {
    forget_shared_writer();  // in case it is broken; a lock held too long costs a reopen
    end_turn();
    throw;
  }
}

WriteTransaction::~WriteTransaction() {
  if (m_open) {
    try {
      m_conn.sql() << "ROLLBACK";
    } catch (...) {
      // The connection is broken; the database rolls back on its own.
      forget_shared_writer();
    }
  }
  end_turn();
}

void WriteTransaction::commit() {
  m_conn.sql() << "COMMIT";
  m_open = false;
  end_turn();
}

void WriteTransaction::forget_shared_writer() {
  if (m_conn.m_writing_through && m_turns) {
    m_conn.m_writing_through = nullptr;
    m_turns->forget_shared_writer();
  }
}

void WriteTransaction::end_turn() {
  m_conn.m_writing_through = nullptr;
  if (m_turns) m_turns->release();
  m_turns = nullptr;
}

}  // namespace fulfil::store
