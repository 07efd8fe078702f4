#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "store/database.hpp"

namespace fulfil::identity {

// One line of the audit log: who did what to what, when, from where.
struct AuditEntry {
  std::int64_t id = 0;
  UnixSeconds at = 0;
  std::string actor;    // a user, "token:NAME", or "cli" for the command line
  std::string action;   // "user.add", "login.failed", "label.reprint", ...
  std::string target;   // what it was done to ("alice", "label 42")
  std::string detail;   // the reason or the change, as the person gave it
  std::string address;  // the client address; empty on the command line
};

struct AuditFilter {
  std::string actor, action;  // exact; empty: any
  std::optional<UnixSeconds> from, to;
  int limit = 200;
};

// The audit log (table `audit_log`), append only: logins, failed logins, reprints,
// reassignments, role changes, token use. Newest first when read.
class AuditLog {
 public:
  explicit AuditLog(store::Connection& c) : m_conn(c) {}
  Result<void> append(const AuditEntry& entry);
  Result<std::vector<AuditEntry>> list(const AuditFilter& filter);

 private:
  store::Connection& m_conn;
};

}  // namespace fulfil::identity
