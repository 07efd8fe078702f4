#include "platform/rds_sync.hpp"

#include <boost/json/parse.hpp>

#include <future>

#include "common/log.hpp"
#include "common/timeutil.hpp"
#include "platform/checkpoint.hpp"
#include "store/sync_state_repository.hpp"

namespace fulfil::platform {

namespace {

constexpr std::size_t k_payload_kept = 2000;  // of a refused row, for the quarantine

orders::Rejection refused(const RdsRow& row, std::string_view shop, std::string field,
                          std::string reason) {
  return {std::string(shop), row.tid, std::move(field), std::move(reason),
          row.response.substr(0, k_payload_kept)};
}

}  // namespace

void parse_rds_row(const RdsRow& row, std::string_view shop, ParsedTrades& out) {
  boost::system::error_code ec;
  boost::json::value root = boost::json::parse(row.response, ec);
  if (ec) {
    out.rejected.push_back(refused(row, shop, "jdp_response", "not JSON: " + ec.message()));
    return;
  }
  const boost::json::value* trade = nullptr;
  if (const auto* o = root.if_object())
    if (const auto* r = o->if_contains("trade_fullinfo_get_response"); r && r->is_object())
      trade = r->as_object().if_contains("trade");
  if (!trade) {
    out.rejected.push_back(
        refused(row, shop, "jdp_response", "no trade_fullinfo_get_response.trade in it"));
    return;
  }
  auto parsed = parse_trade(*trade, shop);
  if (auto* r = std::get_if<orders::Rejection>(&parsed)) {
    if (!r->tid) r->tid = row.tid;
    out.rejected.push_back(std::move(*r));
    return;
  }
  auto& t = std::get<orders::Trade>(parsed);
  if (t.tid != row.tid) {
    out.rejected.push_back(refused(row, shop, "tid",
                                   "the row is tid " + std::to_string(row.tid) +
                                       ", its jdp_response trade " + std::to_string(t.tid)));
    return;
  }
  out.trades.push_back(std::move(t));
}

Result<void> RdsSync::checkpoint(PageStore& pages, Checkpoint& checkpoint, SyncReport& report,
                                 UnixSeconds at) {
  if (auto flushed = pages.flush(report.totals); !flushed) return flushed;
  if (auto moved = checkpoint.advance(at, report.totals); !moved) return moved;
  report.checkpoint = at;
  if (m_heartbeat) return m_heartbeat();
  return {};
}

Result<SyncReport> RdsSync::run() {
  store::SyncStateRepository states(m_conn);
  auto state = states.get(m_shop);
  if (!state) return std::unexpected(state.error());
  auto now_text = m_reader.server_now();
  if (!now_text) return std::unexpected(now_text.error());
  auto now = parse_gmt8(*now_text);
  if (!now) return std::unexpected(with_context(now.error(), "the push database's clock"));
  const auto checkpointed = *state ? (*state)->window_end : std::nullopt;
  const UnixSeconds start = checkpointed ? *checkpointed - m_settings.overlap_seconds
                                         : *now - m_settings.initial_lookback_seconds;
  const std::string from = format_gmt8(start), to = format_gmt8(*now);

  SyncReport report;
  // Larger commits than the API's pages: a pass here is often a million rows.
  PageStore pages(m_conn, m_clock, "rds:" + m_shop, 10000, 2000);
  Checkpoint moves(m_conn, m_clock, m_shop);
  // The next batch is read and parsed (MySQL's client, JSON) while this one is stored
  // (SQLite or PostgreSQL): the two halves of a pass run on two cores. One read is in
  // flight at a time, so the reader's connection is used by one thread at a time.
  struct Batch {
    std::size_t rows = 0;
    std::optional<RdsPosition> last;
    TradePage page;
  };
  auto fetch = [&](std::optional<RdsPosition> after) -> Result<Batch> {
    auto rows = m_reader.read(from, to, after);
    if (!rows) return std::unexpected(rows.error());
    Batch b;
    b.rows = rows->size();
    if (!rows->empty()) b.last = RdsPosition{rows->back().jdp_modified, rows->back().tid};
    for (const auto& row : *rows) parse_rds_row(row, m_shop, b.page.parsed);
    return b;
  };
  auto pending = std::async(std::launch::async, fetch, std::nullopt);
  int rows_read = 0, since_checkpoint = 0;
  for (;;) {
    auto batch = pending.get();
    if (!batch) return std::unexpected(with_context(batch.error(), "shop " + m_shop));
    if (batch->rows == 0) break;
    const bool more = batch->rows == static_cast<std::size_t>(m_settings.batch);
    if (more && !m_cancel.cancelled()) pending = std::async(std::launch::async, fetch, batch->last);
    if (auto stored = pages.store(batch->page, report.totals); !stored)
      return std::unexpected(with_context(stored.error(), "shop " + m_shop));
    ++report.windows;
    rows_read += static_cast<int>(batch->rows);
    since_checkpoint += static_cast<int>(batch->rows);
    if (since_checkpoint >= m_checkpoint_every) {
      // Every row before the last one's jdp_modified is stored now.
      auto at = parse_gmt8(batch->last->jdp_modified);
      if (at && *at > start) {
        if (auto c = checkpoint(pages, moves, report, *at); !c) return std::unexpected(c.error());
        since_checkpoint = 0;
      }
    }
    if (m_cancel.cancelled())
      return fail(ErrorKind::cancelled, "push database sync of " + m_shop + ": shutting down");
    if (!more) break;
  }
  if (auto c = checkpoint(pages, moves, report, *now); !c) return std::unexpected(c.error());
  if (rows_read == 0) {
    auto other = m_reader.other_seller_if_none_of_ours();
    if (!other) return std::unexpected(other.error());
    if (*other)
      report.problem = "jdp_tb_trade holds no trade of seller_nick \"" + m_settings.seller_nick +
                       "\" (it holds trades of \"" + **other + "\"): check the shop's seller_nick";
  }
  log::debug("push database read",
             {{"shop", m_shop}, {"from", from}, {"to", to}, {"rows", rows_read}});
  return report;
}

}  // namespace fulfil::platform
