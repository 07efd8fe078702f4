#pragma once
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.hpp"
#include "store_access.hpp"

namespace fulfil::daemon {

// Whether the store answers, checked every few seconds: a daemon whose PostgreSQL went away
// keeps running (its jobs fail and run again on their schedule, picking up from their
// checkpoints), says so on /healthz and turns /readyz to 503 until the store is back.
class StoreHealth {
 public:
  // One check (SELECT 1 on this thread's connection, reopened after a failure).
  void check(StoreAccess& store, UnixSeconds now);
  struct View {
    bool ok = true;
    std::optional<UnixSeconds> down_since;
    std::string error;
  };
  View view() const;

 private:
  mutable std::mutex m_mutex;
  View m_view;
};

}  // namespace fulfil::daemon
