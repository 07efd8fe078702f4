#include "platform/reconciler.hpp"

#include "common/log.hpp"
#include "common/timeutil.hpp"
#include "platform/page_walker.hpp"

namespace fulfil::platform {

Result<ReconcileReport> reconcile_day(TopClient& client, store::Connection& conn,
                                      const Clock& clock, UnixSeconds day_start,
                                      std::int64_t window_seconds, int page_size,
                                      const outbound::RetryPolicy& retry, Cancellation& cancel) {
  ReconcileReport report;
  PageStore pages(conn, clock, "reconcile:" + client.shop());
  const UnixSeconds day_end = day_start + 86400;
  for (UnixSeconds start = day_start; start < day_end; start += window_seconds) {
    const UnixSeconds end = std::min(start + window_seconds, day_end);
    const std::string what = "reconcile " + format_gmt8(start) + " .. " + format_gmt8(end);
    auto fetch = [&](int page_no, bool use_has_next) {
      return outbound::with_retries(
          [&] { return client.trades_sold_get(start, end, page_no, page_size, use_has_next); },
          retry, cancel, client.shop(), what);
    };
    auto store = [&](TradePage& page) { return pages.store(page, report.totals); };
    auto walked = walk_pages_backwards(page_size, fetch, store);
    if (walked) {
      if (auto flushed = pages.flush(report.totals); !flushed)
        walked = std::unexpected(flushed.error());
    }
    if (!walked) return std::unexpected(with_context(walked.error(), "shop " + client.shop()));
  }
  log::info("reconciled", {{"shop", client.shop()},
                           {"day", format_gmt8(day_start).substr(0, 10)},
                           {"pages", report.totals.pages},
                           {"repaired", report.repaired()},
                           {"quarantined", report.totals.quarantined}});
  return report;
}

}  // namespace fulfil::platform
