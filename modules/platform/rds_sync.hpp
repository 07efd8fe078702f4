#pragma once
#include <string_view>

#include "platform/checkpoint.hpp"
#include "platform/rds_reader.hpp"
#include "platform/trade_sync.hpp"

namespace fulfil::platform {

// One row's jdp_response ({"trade_fullinfo_get_response":{"trade":{...}}}) through the same
// trade parser as the API: a trade, or a rejection naming the shop, the row's tid and what
// is wrong (not JSON, no trade in it, a bad field, a tid other than the row's).
void parse_rds_row(const RdsRow& row, std::string_view shop, ParsedTrades& out);

// Sync of one shop from its push database: from the checkpoint (less the overlap, for the
// push service's late commits) to the server's now, rows of the shop's seller in
// (jdp_modified, tid) order, stored by the same PageStore as the API's pages. The
// checkpoint follows the rows: after every `checkpoint_every` rows stored and committed it
// moves to the jdp_modified of the last of them (every earlier row is in), and at the end
// of the pass to the pass's end. A row read twice (overlap, restart) is stored once: the
// store keeps a trade's newest (tid, modified) and skips the same version.
class RdsSync {
 public:
  RdsSync(RdsReader& reader, store::Connection& conn, const Clock& clock, std::string shop,
          RdsSettings settings, Cancellation& cancel, TradeSync::Heartbeat heartbeat = {},
          int checkpoint_every = 20000)
      : m_reader(reader),
        m_conn(conn),
        m_clock(clock),
        m_shop(std::move(shop)),
        m_settings(std::move(settings)),
        m_cancel(cancel),
        m_heartbeat(std::move(heartbeat)),
        m_checkpoint_every(checkpoint_every) {}

  Result<SyncReport> run();

 private:
  // Commits what is stored and moves the checkpoint to `at`.
  Result<void> checkpoint(PageStore& pages, Checkpoint& checkpoint, SyncReport& report,
                          UnixSeconds at);
  RdsReader& m_reader;
  store::Connection& m_conn;
  const Clock& m_clock;
  std::string m_shop;
  RdsSettings m_settings;
  Cancellation& m_cancel;
  TradeSync::Heartbeat m_heartbeat;
  int m_checkpoint_every;
};

}  // namespace fulfil::platform
