#include "platform/rds_reader.hpp"

#include <soci/mysql/soci-mysql.h>
#include <soci/soci.h>

#include <boost/url/parse.hpp>

#include "store/row_reader.hpp"

namespace fulfil::platform {

namespace {

// MySQL client error numbers (errmsg.h, mysqld_error.h) that say what to do next.
bool is_connection_error(unsigned n) { return n >= 2000 && n < 3000; }  // CR_*: client side
bool is_refused_login(unsigned n) { return n == 1044 || n == 1045 || n == 1698; }
bool is_missing_schema(unsigned n) { return n == 1049 || n == 1146 || n == 1054; }

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
    return fail(ErrorKind::config, "rds_url: the password belongs in the secrets file (rds_password)");
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
  std::vector<RdsRow> out;
  out.reserve(static_cast<std::size_t>(m_settings.batch));
  try {
    std::string sql = std::string(k_columns) +
                      "WHERE seller_nick = :n AND jdp_modified >= :f AND jdp_modified < :t ";
    const std::string at = after ? after->jdp_modified : std::string();
    long long tid = after ? after->tid : 0;
    if (after) sql += "AND (jdp_modified > :a OR (jdp_modified = :a2 AND tid > :tid)) ";
    sql += "ORDER BY jdp_modified, tid LIMIT " + std::to_string(m_settings.batch);
    auto take = [&](soci::rowset<soci::row>& rows) {
      for (const auto& r : rows) {
        RdsRow row;
        row.tid = store::get_int(r, 0);
        row.status = store::get_text(r, 1);
        row.modified = with_colons(store::get_text(r, 2));
        row.jdp_modified = with_colons(store::get_text(r, 3));
        row.response = store::get_text(r, 4);
        out.push_back(std::move(row));
      }
    };
    if (after) {
      soci::rowset<soci::row> rows =
          (m_session->prepare << sql, soci::use(m_settings.seller_nick), soci::use(from),
           soci::use(to), soci::use(at), soci::use(at), soci::use(tid));
      take(rows);
    } else {
      soci::rowset<soci::row> rows = (m_session->prepare << sql, soci::use(m_settings.seller_nick),
                                      soci::use(from), soci::use(to));
      take(rows);
    }
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
