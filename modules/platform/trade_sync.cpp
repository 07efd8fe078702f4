#include "platform/trade_sync.hpp"

#include "common/log.hpp"
#include "common/timeutil.hpp"
#include "platform/checkpoint.hpp"
#include "platform/page_walker.hpp"
#include "store/sync_state_repository.hpp"

namespace fulfil::platform {

Result<SyncReport> TradeSync::run() {
  const std::string& shop = m_client.shop();
  store::SyncStateRepository states(m_conn);
  auto state = states.get(shop);
  if (!state) return std::unexpected(state.error());
  const UnixSeconds now = m_clock.now();
  const UnixSeconds target = now - m_settings.settle_seconds;
  UnixSeconds start = (*state && (*state)->window_end)
                          ? *(*state)->window_end - m_settings.overlap_seconds
                          : now - m_settings.initial_lookback_seconds;
  SyncReport report;
  Checkpoint checkpoint(m_conn, m_clock, shop);
  PageStore pages(m_conn, m_clock, "sync:" + shop);
  while (start < target) {
    if (m_cancel.cancelled())
      return fail(ErrorKind::cancelled, "sync of " + shop + ": shutting down");
    const UnixSeconds end = std::min(start + m_settings.window_seconds, target);
    if (auto r = sync_window(start, end, pages, report); !r) return std::unexpected(r.error());
    if (auto moved = checkpoint.advance(end, report.totals); !moved)
      return std::unexpected(moved.error());
    report.checkpoint = end;
    ++report.windows;
    start = end;
    if (m_heartbeat)
      if (auto beat = m_heartbeat(); !beat) return std::unexpected(beat.error());
  }
  return report;
}

Result<void> TradeSync::sync_window(UnixSeconds start, UnixSeconds end, PageStore& pages,
                                    SyncReport& report) {
  const std::string& shop = m_client.shop();
  const std::string what = "window " + format_gmt8(start) + " .. " + format_gmt8(end);
  const int before = report.totals.pages;
  auto fetch = [&](int page_no, bool use_has_next) {
    return outbound::with_retries(
        [&] {
          return m_client.trades_sold_increment_get(start, end, page_no, m_settings.page_size,
                                                    use_has_next);
        },
        m_settings.retry, m_cancel, shop, what + " page " + std::to_string(page_no));
  };
  auto store = [&](TradePage& page) { return pages.store(page, report.totals); };
  auto walked = walk_pages_backwards(m_settings.page_size, fetch, store);
  if (walked) {
    if (auto flushed = pages.flush(report.totals); !flushed)
      walked = std::unexpected(flushed.error());
  }
  if (!walked) return std::unexpected(with_context(walked.error(), "shop " + shop + " " + what));
  log::debug("window stored", {{"shop", shop},
                               {"start", format_gmt8(start)},
                               {"end", format_gmt8(end)},
                               {"pages", report.totals.pages - before}});
  return {};
}

}  // namespace fulfil::platform
