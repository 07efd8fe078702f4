#include "store/cluster_repository.hpp"

#include <signal.h>

#include <unistd.h>
#include <cerrno>

#include "store/row_reader.hpp"

namespace fulfil::store {

namespace {

std::string this_host() {
  char host[256] = "";
  ::gethostname(host, sizeof host - 1);
  return host;
}

// The run that held the id is this host's and its pid is gone: our killed predecessor.
bool predecessor(const ClusterMember& other) {
  return other.host == this_host() && other.pid > 0 &&
         ::kill(static_cast<pid_t>(other.pid), 0) != 0 && errno == ESRCH;
}

ClusterMember read_member(const soci::row& r) {
  return {get_text(r, 0), get_text(r, 1), get_text(r, 2),
          get_int(r, 3),  get_int(r, 4),  get_int(r, 5)};
}

constexpr const char* k_member_columns = "instance, token, host, pid, started_at, seen_at";

}  // namespace

Result<Heartbeat> ClusterRepository::beat(const ClusterMember& me, UnixSeconds now,
                                          std::int64_t ttl) {
  return in_transaction(m_conn, [&]() -> Result<Heartbeat> {
    std::optional<ClusterMember> held;
    {
      soci::rowset<soci::row> rows =
          (m_conn.sql().prepare << std::string("SELECT ") + k_member_columns +
                                       " FROM cluster_members WHERE instance = :i" +
                                       (m_conn.dialect() == Dialect::postgresql ? " FOR UPDATE"
                                                                                : ""),
           soci::use(me.instance));
      for (const auto& r : rows) held = read_member(r);
    }
    if (held && held->token != me.token && held->seen_at > now - ttl && !predecessor(*held))
      return Heartbeat{false, held};
    long long pid = me.pid, started = me.started_at, seen = now;
    m_conn.sql() << "INSERT INTO cluster_members (instance, token, host, pid, started_at, "
                    "seen_at) VALUES (:i, :t, :h, :p, :s, :n) ON CONFLICT (instance) DO UPDATE "
                    "SET token = excluded.token, host = excluded.host, pid = excluded.pid, "
                    "started_at = excluded.started_at, seen_at = excluded.seen_at",
        soci::use(me.instance), soci::use(me.token), soci::use(me.host), soci::use(pid),
        soci::use(started), soci::use(seen);
    return Heartbeat{};
  });
}

Result<std::vector<ClusterMember>> ClusterRepository::alive(UnixSeconds now, std::int64_t ttl) {
  return guarded([&]() -> Result<std::vector<ClusterMember>> {
    long long since = now - ttl;
    std::vector<ClusterMember> out;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << std::string("SELECT ") + k_member_columns +
                                     " FROM cluster_members WHERE seen_at > :s ORDER BY instance",
         soci::use(since));
    for (const auto& r : rows) out.push_back(read_member(r));
    return out;
  });
}

Result<std::vector<LeaseRow>> ClusterRepository::leases(UnixSeconds now) {
  return guarded([&]() -> Result<std::vector<LeaseRow>> {
    long long at = now;
    std::vector<LeaseRow> out;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT name, holder, expires_at FROM leases WHERE expires_at "
                                 ">= :n ORDER BY name",
         soci::use(at));
    for (const auto& r : rows) out.push_back({get_text(r, 0), get_text(r, 1), get_int(r, 2)});
    return out;
  });
}

Result<void> ClusterRepository::leave(const ClusterMember& me) {
  return in_transaction(m_conn, [&]() -> Result<void> {
    m_conn.sql() << "DELETE FROM cluster_members WHERE instance = :i AND token = :t",
        soci::use(me.instance), soci::use(me.token);
    return {};
  });
}

}  // namespace fulfil::store
