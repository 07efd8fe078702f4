#pragma once
#include <memory>
#include <optional>
#include <string>

#include "trade_generator.hpp"

namespace soci {
class session;
}

namespace fulfil::sim {

// The platform's push service (聚石塔 数据推送) as the merchant's database sees it: it keeps
// jdp_tb_trade, one row per tid, inserting a trade when it first appears and overwriting it
// when it changes, with jdp_modified the server's time of the write and jdp_response the
// whole trade as taobao.trade.fullinfo.get returns it. It commits late at times: a row
// written in a transaction held open shows up after rows stamped later.
class PushWriter {
 public:
  // `url`: mysql://user@host:port/database (the database must exist).
  explicit PushWriter(const std::string& url);
  ~PushWriter();

  // The push service's table and indexes (dropped first when asked).
  void create_table(bool drop_first = false);
  // Inserts or overwrites the trade's row, stamped with the server's clock unless
  // `jdp_modified` ("yyyy-MM-dd HH:mm:ss", GMT+8) is given.
  void write(const SimTrade& t, const std::string& seller_nick,
             const std::optional<std::string>& jdp_modified = std::nullopt);
  // A row as given (bad-input tests: a jdp_response that is not JSON or lacks fields).
  void write_raw(std::int64_t tid, const std::string& seller_nick, const std::string& status,
                 const std::string& response,
                 const std::optional<std::string>& jdp_modified = std::nullopt);
  // Opens a transaction (on a connection of its own) and writes the trade in it, stamped
  // now; nothing shows until commit_late().
  void begin_late(const SimTrade& t, const std::string& seller_nick);
  void commit_late();
  // The server's clock, GMT+8.
  std::string server_now();
  // jdp_response for a trade: {"trade_fullinfo_get_response":{"trade":{...}}}.
  static std::string response_of(const SimTrade& t);
  soci::session& session() { return *m_session; }

 private:
  std::string m_conn;
  std::unique_ptr<soci::session> m_session, m_late;
};

// The base URL of the tests' MariaDB (FULFIL_TEST_MYSQL_URL, mysql://user@host:port/db),
// or empty when it is not set.
std::string test_mysql_url();
// Makes a fresh database on that server and returns its URL.
std::string fresh_mysql_database(const std::string& base_url, const std::string& prefix);

}  // namespace fulfil::sim
