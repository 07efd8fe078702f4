#include "platform/checkpoint.hpp"

#include "store/sync_state_repository.hpp"

namespace fulfil::platform {

Result<void> Checkpoint::advance(UnixSeconds at, const PageTotals& totals) {
  const std::int64_t stored = totals.stored.inserted + totals.stored.updated;
  auto advanced = store::in_transaction(m_conn, [&]() -> Result<void> {
    store::SyncStateRepository(m_conn).advance(m_shop, at, stored - m_counted, m_clock.now());
    return {};
  });
  if (advanced) m_counted = stored;
  return advanced;
}

}  // namespace fulfil::platform
