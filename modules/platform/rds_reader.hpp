#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace soci {
class session;
}

namespace fulfil::platform {

// Where a shop's push database is and whose trades to read in it.
struct RdsSettings {
  std::string url;          // mysql://user@host:port/database
  std::string password;     // from the secrets file or FULFILD_<SHOP>_RDS_PASSWORD
  std::string seller_nick;  // the shop's name on the platform: rows of other sellers are not read
  // The push service commits late: a row can appear with a jdp_modified earlier than rows
  // already read. Each pass reads again this far back before its checkpoint.
  std::int64_t overlap_seconds = 300;
  std::int64_t initial_lookback_seconds = 86400;  // a shop's first pass starts this far back
  int batch = 2000;                               // rows per SELECT
  int connect_timeout_seconds = 5;
  int read_timeout_seconds = 60;
};

// The SOCI connection string for `settings.url` (mysql://user@host:port/db), or what is
// wrong with the URL.
Result<std::string> rds_connection_string(const RdsSettings& settings);

// One row of jdp_tb_trade as fulfild reads it; times are the table's GMT+8 text.
struct RdsRow {
  std::int64_t tid = 0;
  std::string status;
  std::string modified;      // the trade's own modified
  std::string jdp_modified;  // when the push service wrote it
  std::string response;      // jdp_response: {"trade_fullinfo_get_response":{"trade":{...}}}
};

// A position in the table's read order (jdp_modified, tid): rows after it come next.
struct RdsPosition {
  std::string jdp_modified;
  std::int64_t tid = 0;
};

// A connection to the push database: the table jdp_tb_trade read by jdp_modified, in the
// order (jdp_modified, tid) over the push service's index (seller_nick, jdp_modified). Every
// failure of the server (gone away mid-read, refused login, no such table) is an Error of
// kind network, auth or config naming the server; the connection is then unusable.
class RdsReader {
 public:
  static Result<RdsReader> connect(const RdsSettings& settings);
  RdsReader(RdsReader&&) noexcept;
  RdsReader& operator=(RdsReader&&) noexcept;
  ~RdsReader();

  // The server's clock in GMT+8 ("2026-11-11 00:00:05"): the push service stamps
  // jdp_modified with it, so windows are cut by it, never by ours.
  Result<std::string> server_now();
  // Up to settings.batch rows of the seller with from <= jdp_modified < to, after `after`.
  Result<std::vector<RdsRow>> read(const std::string& from, const std::string& to,
                                   const std::optional<RdsPosition>& after);
  // Whether the table holds any row of the seller; when not, one seller it does hold
  // (a misspelt seller_nick reads nothing forever: this names the mistake).
  Result<std::optional<std::string>> other_seller_if_none_of_ours();

 private:
  RdsReader(std::unique_ptr<soci::session> session, RdsSettings settings, std::string where);
  Error failed(const std::exception& e, std::string_view doing) const;
  std::unique_ptr<soci::session> m_session;
  RdsSettings m_settings;
  std::string m_where;       // "push database 127.0.0.1:3306/jdp"
  bool m_index_hint = true;  // false once the table turned out to lack the push index
};

}  // namespace fulfil::platform
