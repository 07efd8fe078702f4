#pragma once
#include <functional>
#include <optional>

#include "common/cancellation.hpp"
#include "outbound/retry.hpp"
#include "platform/page_store.hpp"
#include "platform/top_client.hpp"

namespace fulfil::platform {

struct SyncSettings {
  std::int64_t window_seconds = 1800;  // the platform allows a day, advises <= 30 minutes
  std::int64_t overlap_seconds = 300;  // re-read before the checkpoint: survives clock skew
  std::int64_t settle_seconds = 60;    // leave the last minute: trades there still move
  std::int64_t initial_lookback_seconds = 86400;  // first run of a shop starts this far back
  int page_size = 100;
  outbound::RetryPolicy retry;
};

struct SyncReport {
  int windows = 0;
  PageTotals totals;
  std::optional<UnixSeconds> checkpoint;  // after the run
  // The run worked but found what a person must fix (a seller_nick with no rows): shown on
  // the shop as its error, of kind config.
  std::string problem;
};

// Incremental sync of one shop with taobao.trades.sold.increment.get: from the checkpoint
// (less the overlap) to now (less the settle time), in windows; the checkpoint moves past a
// window only after every page of it is stored. A crash at any point loses nothing: the
// window is read again and the store ignores what it already has.
class TradeSync {
 public:
  // Called after each stored window; an error stops the run (the shop's lease was lost).
  using Heartbeat = std::function<Result<void>()>;

  TradeSync(TopClient& client, store::Connection& conn, const Clock& clock, SyncSettings settings,
            Cancellation& cancel, Heartbeat heartbeat = {})
      : m_client(client),
        m_conn(conn),
        m_clock(clock),
        m_settings(settings),
        m_cancel(cancel),
        m_heartbeat(std::move(heartbeat)) {}

  // Catches up to now; on failure the checkpoint stays at the last complete window.
  Result<SyncReport> run();

 private:
  Result<void> sync_window(UnixSeconds start, UnixSeconds end, PageStore& pages,
                           SyncReport& report);
  TopClient& m_client;
  store::Connection& m_conn;
  const Clock& m_clock;
  SyncSettings m_settings;
  Cancellation& m_cancel;
  Heartbeat m_heartbeat;
};

}  // namespace fulfil::platform
