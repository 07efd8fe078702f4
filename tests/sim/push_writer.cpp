#include "push_writer.hpp"

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <random>
#include <stdexcept>

#include "common/timeutil.hpp"
#include "platform/rds_reader.hpp"

namespace fulfil::sim {

namespace {

std::string connection_of(const std::string& url) {
  platform::RdsSettings s;
  s.url = url;
  auto c = platform::rds_connection_string(s);
  if (!c) throw std::runtime_error(c.error().message);
  return *c;
}

// The push service writes MySQL DATETIMEs in GMT+8.
std::string text_time(UnixSeconds t) {
  return format_gmt8(t);
}

}  // namespace

PushWriter::PushWriter(const std::string& url)
    : m_conn(connection_of(url)), m_session(std::make_unique<soci::session>(soci::mysql, m_conn)) {
  *m_session << "SET time_zone = '+08:00'";
}

PushWriter::~PushWriter() = default;

void PushWriter::create_table(bool drop_first) {
  if (drop_first) *m_session << "DROP TABLE IF EXISTS jdp_tb_trade";
  *m_session << "CREATE TABLE IF NOT EXISTS jdp_tb_trade ("
                "tid BIGINT NOT NULL, status VARCHAR(64), type VARCHAR(64), "
                "seller_nick VARCHAR(32), buyer_nick VARCHAR(64), created DATETIME, "
                "modified DATETIME, jdp_hashcode VARCHAR(128), jdp_response MEDIUMTEXT, "
                "jdp_created DATETIME, jdp_modified DATETIME, PRIMARY KEY (tid), "
                "KEY ind_jdp_tb_trade_seller_nick_jdp_modified (seller_nick, jdp_modified), "
                "KEY ind_jdp_tb_trade_jdp_modified (jdp_modified), "
                "KEY ind_jdp_tb_trade_seller_nick_modified (seller_nick, modified)"
                ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
}

std::string PushWriter::response_of(const SimTrade& t) {
  std::string out = "{\"trade_fullinfo_get_response\":{\"trade\":";
  TradeGenerator::append_json(out, t);
  return out + "}}";
}

namespace {

void upsert(soci::session& s, std::int64_t tid, const std::string& seller,
            const std::string& status, const std::string& created, const std::string& modified,
            const std::string& response, const std::optional<std::string>& jdp_modified) {
  long long id = tid;
  const std::string hash = std::to_string(std::hash<std::string>{}(response));
  const std::string stamp = jdp_modified.value_or("");
  soci::indicator stamp_ind = jdp_modified ? soci::i_ok : soci::i_null;
  s << "INSERT INTO jdp_tb_trade (tid, status, type, seller_nick, buyer_nick, created, modified, "
       "jdp_hashcode, jdp_response, jdp_created, jdp_modified) VALUES (:tid, :st, 'fixed', :sel, "
       "'', :cr, :mo, :h, :r, COALESCE(:jm, NOW()), COALESCE(:jm2, NOW())) "
       "ON DUPLICATE KEY UPDATE status = VALUES(status), modified = VALUES(modified), "
       "jdp_hashcode = VALUES(jdp_hashcode), jdp_response = VALUES(jdp_response), "
       "jdp_modified = VALUES(jdp_modified)",
      soci::use(id), soci::use(status), soci::use(seller), soci::use(created), soci::use(modified),
      soci::use(hash), soci::use(response), soci::use(stamp, stamp_ind),
      soci::use(stamp, stamp_ind);
}

}  // namespace

void PushWriter::write(const SimTrade& t, const std::string& seller,
                       const std::optional<std::string>& jdp_modified) {
  upsert(*m_session, t.tid, seller, t.status, text_time(t.created), text_time(t.modified),
         response_of(t), jdp_modified);
}

void PushWriter::write_raw(std::int64_t tid, const std::string& seller, const std::string& status,
                           const std::string& response,
                           const std::optional<std::string>& jdp_modified) {
  const std::string now = server_now();
  upsert(*m_session, tid, seller, status, now, now, response, jdp_modified);
}

void PushWriter::begin_late(const SimTrade& t, const std::string& seller) {
  if (!m_late) {
    m_late = std::make_unique<soci::session>(soci::mysql, m_conn);
    *m_late << "SET time_zone = '+08:00'";
  }
  m_late->begin();
  upsert(*m_late, t.tid, seller, t.status, text_time(t.created), text_time(t.modified),
         response_of(t), std::nullopt);
}

void PushWriter::commit_late() {
  m_late->commit();
}

std::string PushWriter::server_now() {
  std::string now;
  *m_session << "SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H.%i.%s')", soci::into(now);
  now[13] = now[16] = ':';
  return now;
}

std::string test_mysql_url() {
  const char* v = std::getenv("FULFIL_TEST_MYSQL_URL");
  return v ? v : "";
}

std::string fresh_mysql_database(const std::string& base_url, const std::string& prefix) {
  std::random_device rd;
  const std::string name = prefix + std::to_string(rd()) + std::to_string(rd() % 1000);
  soci::session admin(soci::mysql, connection_of(base_url));
  admin << "CREATE DATABASE " + name + " CHARACTER SET utf8mb4";
  return base_url.substr(0, base_url.rfind('/') + 1) + name;
}

}  // namespace fulfil::sim
