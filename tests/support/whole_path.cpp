#include "whole_path.hpp"

#include <soci/soci.h>

#include <boost/json.hpp>
#include <map>
#include <sstream>

#include "aftersale/curve_keys.hpp"
#include "common/clock.hpp"
#include "store/database.hpp"
#include "store/row_reader.hpp"
#include "test_support.hpp"

namespace fulfil::test {

namespace {

namespace json = boost::json;

std::string return_code(int n) {
  return "YT" + std::to_string(70000000 + n);
}

sim::TopSimSettings top_settings(const WholePathOptions& o) {
  sim::TopSimSettings s;
  s.trades = o.trades;
  s.seed = o.seed;
  const UnixSeconds now = SystemClock().now();
  s.span_start = now + o.from_seconds;
  s.span_end = now + o.to_seconds;
  s.steady_arrivals = o.steady_arrivals;
  return s;
}

std::string config_text(const WholePath& p, const std::filesystem::path& dir,
                        const WholePathOptions& o, int http_port, int peer_port) {
  auto http = [](const sim::FaultProxy& proxy) { return "http://" + proxy.address(); };
  return "[http]\nlisten = \"127.0.0.1:" + std::to_string(http_port) +
         "\"\n[store]\nurl = \"sqlite:" + (dir / "store.db").string() +
         "\"\n"
         // Short timeouts: a stalled or dripping peer costs seconds, not the default half minute.
         "[sync]\nsettle_seconds = 0\ninitial_lookback_hours = 24\nreconcile_at = \"\"\n"
         "connect_timeout_seconds = 1\nrequest_timeout_seconds = 2\n"
         "[[shops]]\nname = \"tmall\"\nsource = \"top\"\nbase_url = \"" +
         http(*p.top_proxy) + "/router/rest\"\napp_key = \"12345678\"\ninterval_seconds = " +
         std::to_string(o.shop_interval_seconds) +
         "\n[review]\ninterval_seconds = 1\nauto_approve = true\n[review.checks]\n"
         "buyer_message = false\nseller_memo = false\npark_flags = []\nduplicate_minutes = 0\n"
         "[review.stock]\ncheck_at_approval = false\n"
         "[shipping]\ninterval_seconds = 1\n"
         "[[shipping.couriers]]\ncode = \"SF\"\nsource = \"sf\"\nshare = 50\nbase_url = \"" +
         http(*p.sf_proxy) +
         "/std/service\"\npartner_id = \"FULFIL\"\nin_flight = 8\n"
         "[[shipping.couriers]]\ncode = \"YUNDA\"\nsource = \"cainiao\"\nshop = \"tmall\"\n"
         "share = 50\nin_flight = 4\n"
         "[shipping.sender]\nname = \"仓库\"\nmobile = \"13800000000\"\nprovince = "
         "\"浙江省\"\ncity = \"杭州市\"\ndistrict = \"余杭区\"\naddress = \"仓前街道 8 号\"\n"
         "[shipping.tracking]\nenabled = true\nbase_url = \"" +
         http(*p.kuaidi100_proxy) +
         "\"\ncustomer = \"CUST\"\ninterval_seconds = 1\ncallback_url = "
         "\"http://127.0.0.1:9/api/v1/tracking/kuaidi100/callback\"\n"
         "[printing]\ninterval_seconds = 1\npacking_lists = false\nfault_retry_seconds = 1\n"
         "[[printing.printers]]\nname = \"zebra\"\nlanguage = \"zpl\"\ntransport = \"tcp\"\n"
         "address = \"" +
         p.printer_proxy->address() +
         "\"\nkinds = [\"waybill\"]\nanswer_timeout_ms = 1000\n"
         "[reminders]\nenabled = false\n[stock_push]\nenabled = false\n"
         "[aftersale]\nservice_endpoint = \"tcp://127.0.0.1:" +
         std::to_string(peer_port) + "\"\ncurve = true\nsecret_key_file = \"" +
         (dir / "daemon.key").string() + "\"\nservice_public_key_file = \"" +
         (dir / "peer.pub").string() +
         "\"\nack_timeout_ms = 500\nmax_backoff_ms = 2000\nheartbeat_ms = 300\n";
}

std::string fiu_fifo(const std::filesystem::path& dir) {
  return (dir / "fiu-ctrl").string();
}

}  // namespace

WholePath::WholePath(std::filesystem::path dir, WholePathOptions options)
    : top(top_settings(options)),
      m_dir(std::move(dir)),
      m_store(m_dir / "store.db"),
      m_config(m_dir / "fulfild.toml"),
      m_options(options) {
  top_proxy = std::make_unique<sim::FaultProxy>("127.0.0.1", top.start());
  sf_proxy = std::make_unique<sim::FaultProxy>("127.0.0.1", sf.start());
  kuaidi100_proxy = std::make_unique<sim::FaultProxy>("127.0.0.1", kuaidi100.start());
  printer_proxy = std::make_unique<sim::FaultProxy>("127.0.0.1", printer.port());
  m_http_port = free_port();
  const int peer_port = free_port();
  const auto daemon_keys = *aftersale::generate_key_pair();
  const auto peer_keys = *aftersale::generate_key_pair();
  if (!aftersale::write_key_pair(m_dir / "daemon", daemon_keys) ||
      !aftersale::write_key_pair(m_dir / "peer", peer_keys))
    throw std::runtime_error("cannot write the CURVE keys");
  std::filesystem::create_directories(m_dir / "clients");
  std::filesystem::copy_file(m_dir / "daemon.pub", m_dir / "clients" / "daemon.pub");
  write_file(m_config, config_text(*this, m_dir, options, m_http_port, peer_port));
  // Check-ins come from a machine client with a packer's API token.
  m_bearer = staff_token(m_config, "packer", m_dir).at("Authorization");

  std::map<std::string, std::string> env{{"FULFILD_TMALL_APP_SECRET", "sim-secret"},
                                         {"FULFILD_TMALL_SESSION", "sim-session"},
                                         {"FULFILD_COURIER_SF_CHECK_WORD", "check-word"},
                                         {"FULFILD_KUAIDI100_KEY", "k100-key"},
                                         {"FULFILD_KUAIDI100_SALT", "salt"}};
  if (options.under_fiu) {
    // What `fiu-run -x` sets before it execs a program (libfiu's control FIFOs and its POSIX
    // wrappers), plus our open64 wrapper; fiu-ctrl then switches failure points on and off
    // in the running daemon by its pid.
    env["FIU_ENABLE"] = "";
    env["FIU_CTRL_FIFO"] = fiu_fifo(m_dir);
    env["LD_PRELOAD"] = "/usr/lib/fiu/fiu_run_preload.so /usr/lib/fiu/fiu_posix_preload.so " +
                        std::string(FIU_OPEN64_PRELOAD);
  }
  m_daemon = std::make_unique<Restartable>(
      FULFILD_BINARY, std::vector<std::string>{"--config", m_config.string(), "run"}, m_dir, env);
  m_peer = std::make_unique<Restartable>(
      SERVICE_PEER_BINARY,
      std::vector<std::string>{"--bind", "tcp://127.0.0.1:" + std::to_string(peer_port), "--key",
                               (m_dir / "peer.key").string(), "--clients",
                               (m_dir / "clients").string(), "--store",
                               (m_dir / "slips.jsonl").string(), "--quiet"},
      m_dir);
}

WholePath::~WholePath() {
  m_daemon->kill(SIGKILL);
  m_peer->kill(SIGKILL);
  // The proxies go before the simulators they lead to.
  top_proxy.reset();
  sf_proxy.reset();
  kuaidi100_proxy.reset();
  printer_proxy.reset();
}

void WholePath::start_daemon() {
  m_daemon->start();
}
void WholePath::stop_daemon(int sig) {
  m_daemon->kill(sig);
}
std::string WholePath::daemon_said() {
  return m_daemon->said() + m_daemon->saying();
}

void WholePath::start_peer() {
  m_peer->start();
}
void WholePath::stop_peer(int sig) {
  m_peer->kill(sig);
}

long WholePath::post_as_packer(const std::string& path, const std::string& json_body) {
  return http_post_json("http://127.0.0.1:" + std::to_string(m_http_port) + path, json_body,
                        {{"Authorization", m_bearer}})
      .status;
}

long WholePath::check_in(int n) {
  const std::string body =
      json::serialize(json::object{{"code", return_code(n)},
                                   {"courier", "YTO"},
                                   {"unidentified", true},
                                   {"note", "到仓无单 📦"},
                                   {"request_key", "wp-" + std::to_string(n)}});
  return post_as_packer("/api/v1/returns", body);
}

std::vector<std::string> WholePath::slip_losses(int n) {
  std::vector<std::string> wrong;
  std::map<std::string, std::string> kept;  // slip id -> the line the peer kept
  std::set<std::string> codes;
  std::istringstream in(read_file(m_dir / "slips.jsonl"));
  std::string line;
  while (std::getline(in, line)) {
    boost::system::error_code ec;
    auto v = json::parse(line, ec);
    if (ec) continue;  // a line cut short by a kill was never acknowledged
    const auto& o = v.as_object();
    if (!kept.emplace(std::string(o.at("slip_id").as_string()), line).second)
      wrong.push_back("the peer stored slip " + std::string(o.at("slip_id").as_string()) +
                      " twice");
    codes.insert(std::string(o.at("return_parcel").as_object().at("scanned").as_string()));
  }
  for (int i = 0; i < n; ++i)
    if (!codes.contains(return_code(i))) wrong.push_back("no slip for return " + return_code(i));
  auto conn = open_store(store::Durability::strict);
  if (!conn) return {"the store does not open: " + conn.error().message};
  long long returns = 0;
  (*conn)->sql() << "SELECT COUNT(*) FROM returns", soci::into(returns);
  if (returns != n)
    wrong.push_back(std::to_string(returns) + " returns stored for " + std::to_string(n) +
                    " check-ins");
  soci::rowset<soci::row> slips = ((*conn)->sql().prepare << "SELECT id, body FROM slips");
  for (const auto& r : slips) {
    auto it = kept.find(store::get_text(r, 0));
    if (it == kept.end())
      wrong.push_back("the peer never got slip " + store::get_text(r, 0));
    else if (it->second != store::get_text(r, 1))
      wrong.push_back("slip " + it->first + " reached the peer changed");
  }
  return wrong;
}

bool WholePath::fiu(const std::string& command) {
  const pid_t pid = m_daemon->pid();
  if (pid <= 0) return false;
  return run_program("/usr/bin/fiu-ctrl",
                     {"-f", fiu_fifo(m_dir), "-c", command, std::to_string(pid)}, m_dir, {},
                     std::chrono::seconds(10))
             .status == 0;
}

std::vector<sim::FaultProxy*> WholePath::proxies() {
  return {top_proxy.get(), sf_proxy.get(), kuaidi100_proxy.get(), printer_proxy.get()};
}
std::vector<std::string> WholePath::proxy_names() {
  return {"TOP (sync, ship confirmations, Cainiao)", "SF", "Kuaidi100", "printer"};
}

int WholePath::check_uncertain_labels() {
  if (printer.waiting() > 0) return 0;
  std::vector<std::pair<std::int64_t, std::string>> uncertain;
  auto conn = open_store(store::Durability::relaxed);
  if (!conn) return 0;
  try {
    soci::rowset<soci::row> rows =
        ((*conn)->sql().prepare << "SELECT id, waybill_no FROM labels WHERE state = 'check'");
    for (const auto& r : rows) uncertain.emplace_back(store::get_int(r, 0), store::get_text(r, 1));
  } catch (const std::exception&) {
    return 0;  // the store is busy or being recovered: look again later
  }
  const auto printed = printer.printed();
  const std::set<std::string> on_paper(printed.begin(), printed.end());
  int decided = 0;
  for (const auto& [id, waybill] : uncertain) {
    const std::string body = json::serialize(json::object{{"printed", on_paper.contains(waybill)}});
    if (post_as_packer("/api/v1/labels/" + std::to_string(id) + "/checked", body) == 200) ++decided;
  }
  return decided;
}

Result<std::unique_ptr<store::Connection>> WholePath::open_store(
    store::Durability durability) const {
  return store::Connection::open(*store::StoreUrl::parse("sqlite:" + m_store.string()), durability);
}

long long WholePath::count(const std::string& sql) const {
  return sqlite_count(m_store, sql);
}

std::set<std::int64_t> WholePath::paid_tids() const {
  const UnixSeconds now = SystemClock().now();
  std::set<std::int64_t> out;
  for (const auto& [tid, t] : top.expected())
    if (!t.raw && !t.refund && t.modified <= now &&
        (t.status == "WAIT_SELLER_SEND_GOODS" || t.status == "WAIT_BUYER_CONFIRM_GOODS"))
      out.insert(tid);
  return out;
}

bool WholePath::all_through() const {
  const auto told = top.shipments();
  for (auto tid : paid_tids())
    if (!told.contains(tid)) return false;
  const auto printed = printer.printed();
  const std::set<std::string> on_paper(printed.begin(), printed.end());
  const auto subscribed = kuaidi100.subscriptions();
  for (const auto& [tid, s] : told)
    if (!on_paper.contains(s.out_sid) || !subscribed.contains(s.out_sid)) return false;
  return true;
}

std::string problems_in(const std::string& said, std::size_t max) {
  std::vector<std::string> lines;
  std::istringstream in(said);
  std::string line;
  while (std::getline(in, line))
    if (line.find(" warning ") != std::string::npos || line.find(" error ") != std::string::npos)
      lines.push_back(line.substr(0, 400));
  std::string out;
  for (std::size_t i = lines.size() > max ? lines.size() - max : 0; i < lines.size(); ++i)
    out += lines[i] + "\n";
  return out;
}

std::vector<std::string> whole_path_losses(WholePath& path) {
  std::vector<std::string> wrong;
  auto conn = path.open_store(store::Durability::strict);
  if (!conn) return {"the store does not open: " + conn.error().message};
  auto& sql = (*conn)->sql();

  std::set<std::int64_t> stored;
  soci::rowset<soci::row> trades = (sql.prepare << "SELECT tid FROM trades");
  for (const auto& r : trades) stored.insert(store::get_int(r, 0));
  const UnixSeconds now = SystemClock().now();
  for (const auto& [tid, t] : path.top.expected())
    if (t.modified <= now - 30 && !stored.contains(tid))
      wrong.push_back("trade " + std::to_string(tid) + " never stored");

  // tid -> the waybill we told. A confirmation still pending may have reached the platform
  // already (its answer, or our record of it, was lost): it is sent again when due and the
  // platform answers it as done; a failed or missing one is a loss.
  std::map<std::int64_t, std::string> confirmed;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT tid, waybill_no FROM ship_confirmations WHERE state IN ('sent', "
                      "'pending')");
  for (const auto& r : rows) confirmed[store::get_int(r, 0)] = store::get_text(r, 1);
  const auto told = path.top.shipments();
  for (auto tid : path.paid_tids()) {
    auto it = told.find(tid);
    if (it == told.end())
      wrong.push_back("paid trade " + std::to_string(tid) + " never told shipped");
    else if (confirmed[tid] != it->second.out_sid)
      wrong.push_back("trade " + std::to_string(tid) + " told shipped with " + it->second.out_sid +
                      ", we hold " + confirmed[tid]);
  }
  for (const auto& [key, n] : path.sf.issued_per_order())
    if (n != 1) wrong.push_back("SF issued " + std::to_string(n) + " waybills for " + key);
  for (const auto& [key, n] : path.top.cainiao().issued_per_object())
    if (n != 1) wrong.push_back("Cainiao issued " + std::to_string(n) + " waybills for " + key);
  long long doubled = 0;
  sql << "SELECT COUNT(*) FROM (SELECT parcel_id FROM waybills WHERE state IN ('requested', "
         "'issued') GROUP BY parcel_id HAVING COUNT(*) > 1) d",
      soci::into(doubled);
  if (doubled > 0) wrong.push_back(std::to_string(doubled) + " parcels hold two waybills");

  std::map<std::string, int> printed;
  for (const auto& w : path.printer.printed()) ++printed[w];
  soci::rowset<soci::row> issued =
      (sql.prepare << "SELECT waybill_no FROM waybills WHERE state = 'issued'");
  for (const auto& r : issued) {
    const auto w = store::get_text(r, 0);
    if (!printed.contains(w)) wrong.push_back("waybill " + w + " never printed");
  }
  for (const auto& [w, n] : printed)
    if (n > 1) wrong.push_back("waybill " + w + " printed " + std::to_string(n) + " times");
  const auto subscribed = path.kuaidi100.subscriptions();
  for (const auto& [tid, s] : told)
    if (!subscribed.contains(s.out_sid))
      wrong.push_back("waybill " + s.out_sid + " never subscribed for tracking");
  return wrong;
}

}  // namespace fulfil::test
