#include "platform/rds_reader.hpp"

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <boost/url/parse.hpp>

#include <cstdlib>

#include "common/log.hpp"
#include "store/row_reader.hpp"

namespace fulfil::platform {

namespace {

// MySQL client error numbers (errmsg.h, mysqld_error.h) that say what to do next.
bool is_connection_error(unsigned n) {
  return n >= 2000 && n < 3000;
}  // CR_*: client side
bool is_refused_login(unsigned n) {
  return n == 1044 || n == 1045 || n == 1698;
}
bool is_missing_schema(unsigned n) {
  return n == 1049 || n == 1146 || n == 1054;
}

std::string quoted(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

constexpr const char* k_columns =
    "SELECT tid, status, DATE_FORMAT(modified, '%Y-%m-%d %H.%i.%s'), "
    "DATE_FORMAT(jdp_modified, '%Y-%m-%d %H.%i.%s'), jdp_response FROM jdp_tb_trade ";
// The push service's index on (seller_nick, jdp_modified). Left to itself MariaDB reads it
// by seller alone (ref) and filters the times row by row: each batch then walks every
// earlier row of the seller, 30 times the cost of the range at a million rows.
constexpr const char* k_index_hint = "FORCE INDEX (ind_jdp_tb_trade_seller_nick_jdp_modified) ";
constexpr unsigned k_no_such_index = 1176;  // ER_KEY_DOES_NOT_EXITS: a table indexed otherwise

// DATE_FORMAT above writes dots for colons (SOCI would read ":i" as a bound name): back to
// the platform's "HH:MM:SS".
std::string with_colons(std::string t) {
  if (t.size() == 19) t[13] = t[16] = ':';
  return t;
}

}  // namespace

Result<std::string> rds_connection_string(const RdsSettings& s) {
  auto parsed = boost::urls::parse_uri(s.url);
  if (!parsed || parsed->scheme() != "mysql" || parsed->host().empty())
    return fail(ErrorKind::config,
                "rds_url \"" + s.url + "\": expected mysql://user@host:port/database");
  std::string db = parsed->path();
  if (db.starts_with('/')) db.erase(0, 1);
  if (db.empty() || db.find('/') != std::string::npos)
    return fail(ErrorKind::config, "rds_url \"" + s.url + "\": name one database after the host");
  if (parsed->has_password())
    return fail(ErrorKind::config,
                "rds_url: the password belongs in the secrets file (rds_password)");
  std::string c = "db=" + quoted(db) + " host=" + quoted(std::string(parsed->host())) +
                  " port=" + (parsed->has_port() ? std::string(parsed->port()) : "3306") +
                  " charset=utf8mb4 connect_timeout=" + std::to_string(s.connect_timeout_seconds) +
                  " read_timeout=" + std::to_string(s.read_timeout_seconds);
  if (parsed->has_userinfo()) c += " user=" + quoted(std::string(parsed->user()));
  if (!s.password.empty()) c += " password=" + quoted(s.password);
  return c;
}

RdsReader::RdsReader(std::unique_ptr<soci::session> session, RdsSettings settings,
                     std::string where)
    : m_session(std::move(session)), m_settings(std::move(settings)), m_where(std::move(where)) {}
RdsReader::RdsReader(RdsReader&&) noexcept = default;
RdsReader& RdsReader::operator=(RdsReader&&) noexcept = default;
RdsReader::~RdsReader() = default;

Error RdsReader::failed(const std::exception& e, std::string_view doing) const {
  ErrorKind kind = ErrorKind::storage;
  if (const auto* m = dynamic_cast<const soci::mysql_soci_error*>(&e)) {
    if (is_connection_error(m->err_num_))
      kind = ErrorKind::network;
    else if (is_refused_login(m->err_num_))
      kind = ErrorKind::auth;
    else if (is_missing_schema(m->err_num_))
      kind = ErrorKind::config;
  }
  std::string what = e.what();
  while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
  return Error{kind, m_where + ": " + std::string(doing) + ": " + what};
}

Result<RdsReader> RdsReader::connect(const RdsSettings& settings) {
  auto conn = rds_connection_string(settings);
  if (!conn) return std::unexpected(conn.error());
  auto parsed = boost::urls::parse_uri(settings.url);
  RdsReader reader(std::make_unique<soci::session>(), settings,
                   "push database " + std::string(parsed->encoded_host_and_port()) +
                       std::string(parsed->path()));
  try {
    reader.m_session->open(soci::mysql, *conn);
    // jdp_modified is the push service's GMT+8 wall clock: read and compare it as such.
    *reader.m_session << "SET time_zone = '+08:00'";
  } catch (const std::exception& e) {
    return std::unexpected(reader.failed(e, "connect"));
  }
  return reader;
}

Result<std::string> RdsReader::server_now() {
  try {
    std::string now;
    *m_session << "SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H.%i.%s')", soci::into(now);
    return with_colons(now);
  } catch (const std::exception& e) {
    return std::unexpected(failed(e, "reading the server's clock"));
  }
}

Result<std::vector<RdsRow>> RdsReader::read(const std::string& from, const std::string& to,
                                            const std::optional<RdsPosition>& after) {
  // The C API, not a SOCI rowset: SOCI's MySQL backend seeks to every row from the start of
  // the stored result, which made a batch's read quadratic (7x a plain SELECT of the rows).
  MYSQL* my = static_cast<soci::mysql_session_backend*>(m_session->get_backend())->conn_;
  auto literal = [&](const std::string& v) {
    std::string out(v.size() * 2 + 3, '\0');
    out[0] = '\'';
    const auto n = mysql_real_escape_string(my, out.data() + 1, v.data(), v.size());
    out.resize(n + 1);
    return out + "'";
  };
  // After a position the range starts at it (jdp_modified >= the last one read), so each
  // batch reads its rows off the index and not the whole window up to them again.
  const std::string lower = literal(after ? after->jdp_modified : from);
  std::string sql = std::string(k_columns) + (m_index_hint ? k_index_hint : "") +
                    "WHERE seller_nick = " + literal(m_settings.seller_nick) +
                    " AND jdp_modified >= " + lower + " AND jdp_modified < " + literal(to) + " ";
  if (after)
    sql += "AND (jdp_modified > " + lower + " OR tid > " + std::to_string(after->tid) + ") ";
  sql += "ORDER BY jdp_modified, tid LIMIT " + std::to_string(m_settings.batch);
  auto failure = [&] {
    return soci::mysql_soci_error(mysql_error(my), static_cast<int>(mysql_errno(my)));
  };
  std::vector<RdsRow> out;
  out.reserve(static_cast<std::size_t>(m_settings.batch));
  try {
    if (mysql_real_query(my, sql.data(), sql.size()) != 0) {
      if (mysql_errno(my) != k_no_such_index || !m_index_hint) throw failure();
      log::warn(
          "jdp_tb_trade has no index ind_jdp_tb_trade_seller_nick_jdp_modified: reading "
          "without it (slower)",
          {{"where", m_where}});
      m_index_hint = false;
      return read(from, to, after);
    }
    MYSQL_RES* res = mysql_use_result(my);
    if (!res) throw failure();
    auto text = [](MYSQL_ROW row, unsigned long* len, int c) {
      return row[c] ? std::string(row[c], len[c]) : std::string();
    };
    while (MYSQL_ROW row = mysql_fetch_row(res)) {
      unsigned long* len = mysql_fetch_lengths(res);
      RdsRow r;
      r.tid = row[0] ? std::strtoll(row[0], nullptr, 10) : 0;
      r.status = text(row, len, 1);
      r.modified = with_colons(text(row, len, 2));
      r.jdp_modified = with_colons(text(row, len, 3));
      r.response = text(row, len, 4);
      out.push_back(std::move(r));
    }
    const bool cut = mysql_errno(my) != 0;  // the server went away mid-result
    auto error = failure();
    mysql_free_result(res);
    if (cut) throw error;
  } catch (const std::exception& e) {
    return std::unexpected(failed(e, "reading jdp_tb_trade from " + from));
  }
  return out;
}

Result<std::optional<std::string>> RdsReader::other_seller_if_none_of_ours() {
  try {
    long long ours = 0;
    *m_session << "SELECT COUNT(*) FROM (SELECT 1 FROM jdp_tb_trade WHERE seller_nick = :n "
                  "LIMIT 1) x",
        soci::use(m_settings.seller_nick), soci::into(ours);
    if (ours) return std::nullopt;
    std::string other;
    soci::indicator ind = soci::i_null;
    *m_session << "SELECT seller_nick FROM jdp_tb_trade LIMIT 1", soci::into(other, ind);
    if (!m_session->got_data() || ind != soci::i_ok) return std::nullopt;
    return other;
  } catch (const std::exception& e) {
    return std::unexpected(failed(e, "looking for the seller's rows"));
  }
}

}  // namespace fulfil::platform
