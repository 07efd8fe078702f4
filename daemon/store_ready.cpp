#include "store_ready.hpp"

#include <boost/asio/post.hpp>

#include "common/log.hpp"
#include "modules.hpp"

namespace fulfil::daemon {

void StoreReady::start() {
  boost::asio::post(m_pool, [this] {
    auto conn = m_store.local(store::Durability::strict);
    Result<int> version = conn ? migrate_all(**conn) : Result<int>(std::unexpected(conn.error()));
    if (version) version = store::current_schema_version(**conn);
    boost::asio::post(m_io, [this, version] {
      if (m_stopping) return;
      if (!version) {
        m_store.reset_local();
        log::error("store not ready; retrying in 5 s", {{"error", version.error().message}});
        m_retry.expires_after(std::chrono::seconds(5));
        m_retry.async_wait([this](boost::system::error_code ec) {
          if (!ec) start();
        });
        return;
      }
      log::info("store ready", {{"schema_version", *version}});
      m_on_ready();
    });
  });
}

}  // namespace fulfil::daemon
