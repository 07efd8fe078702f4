#pragma once
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "store/database.hpp"

namespace fulfil::aftersale {

// A slip waiting to be delivered.
struct OutboxRow {
  std::int64_t id = 0;
  std::string slip_id, body;
};

// How far behind delivery is.
struct OutboxBacklog {
  std::int64_t pending = 0;
  std::optional<UnixSeconds> oldest_pending;
};

// The outbox table: slips written with their check-in, marked delivered once acked.
class Outbox {
 public:
  explicit Outbox(store::Connection& conn) : m_conn(conn) {}
  // Pending rows with id > `after`, in id order, at most `limit`.
  Result<std::vector<OutboxRow>> pending_after(std::int64_t after, int limit);
  // Marks rows delivered in one transaction (rows already delivered stay as they were).
  Result<void> mark_delivered(std::span<const std::int64_t> ids, UnixSeconds now);
  Result<OutboxBacklog> backlog();

 private:
  store::Connection& m_conn;
};

}  // namespace fulfil::aftersale
