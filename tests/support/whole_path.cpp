#include "whole_path.hpp"

#include <soci/soci.h>

#include <map>

#include "common/clock.hpp"
#include "store/database.hpp"
#include "store/row_reader.hpp"
#include "test_support.hpp"

namespace fulfil::test {

namespace {

sim::TopSimSettings top_settings(const WholePathOptions& o) {
  sim::TopSimSettings s;
  s.trades = o.trades;
  s.seed = o.seed;
  const UnixSeconds now = SystemClock().now();
  s.span_start = now + o.from_seconds;
  s.span_end = now + o.to_seconds;
  return s;
}

std::string config_text(const WholePath& p, const std::filesystem::path& store,
                        const WholePathOptions& o) {
  auto http = [](const sim::FaultProxy& proxy) { return "http://" + proxy.address(); };
  return "[http]\nlisten = \"127.0.0.1:0\"\n[store]\nurl = \"sqlite:" + store.string() +
         "\"\n"
         // Short timeouts: a stalled or dripping peer costs seconds, not the default half minute.
         "[sync]\nsettle_seconds = 0\ninitial_lookback_hours = 24\nreconcile_at = \"\"\n"
         "connect_timeout_seconds = 1\nrequest_timeout_seconds = 2\n"
         "[[shops]]\nname = \"tmall\"\nsource = \"top\"\nbase_url = \"" +
         http(*p.top_proxy) + "/router/rest\"\napp_key = \"12345678\"\ninterval_seconds = " +
         std::to_string(o.shop_interval_seconds) +
         "\n[review]\ninterval_seconds = 1\nauto_approve = true\n[review.checks]\n"
         "buyer_message = false\nseller_memo = false\nduplicate_minutes = 0\n"
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
         "[reminders]\nenabled = false\n[stock_push]\nenabled = false\n";
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
  write_file(m_config, config_text(*this, m_store, options));
  std::vector<std::string> args = {"--config", m_config.string(), "run"};
  std::string program = FULFILD_BINARY;
  if (options.under_fiu) {
    // fiu-run execs the daemon with libfiu's POSIX wrappers preloaded; fiu-ctrl then
    // switches faults on and off in the running process (by its pid).
    args.insert(args.begin(), {"-x", program});
    program = "/usr/bin/fiu-run";
  }
  m_daemon = std::make_unique<Restartable>(
      program, args, m_dir,
      std::map<std::string, std::string>{{"FULFILD_TMALL_APP_SECRET", "sim-secret"},
                                         {"FULFILD_TMALL_SESSION", "sim-session"},
                                         {"FULFILD_COURIER_SF_CHECK_WORD", "check-word"},
                                         {"FULFILD_KUAIDI100_KEY", "k100-key"},
                                         {"FULFILD_KUAIDI100_SALT", "salt"}});
}

WholePath::~WholePath() {
  m_daemon->kill(SIGKILL);
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

std::vector<sim::FaultProxy*> WholePath::proxies() {
  return {top_proxy.get(), sf_proxy.get(), kuaidi100_proxy.get(), printer_proxy.get()};
}
std::vector<std::string> WholePath::proxy_names() {
  return {"TOP (sync, ship confirmations, Cainiao)", "SF", "Kuaidi100", "printer"};
}

long long WholePath::count(const std::string& sql) const {
  auto conn = store::Connection::open(*store::StoreUrl::parse("sqlite:" + m_store.string()),
                                      store::Durability::relaxed);
  if (!conn) return -1;
  try {
    long long n = 0;
    (*conn)->sql() << sql, soci::into(n);
    return n;
  } catch (const std::exception&) {
    return -1;  // not migrated yet, or busy
  }
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

bool WholePath::all_shipped_and_printed() const {
  const auto told = top.shipments();
  for (auto tid : paid_tids())
    if (!told.contains(tid)) return false;
  const auto printed = printer.printed();
  const std::set<std::string> on_paper(printed.begin(), printed.end());
  for (const auto& [tid, s] : told)
    if (!on_paper.contains(s.out_sid)) return false;
  return true;
}

std::vector<std::string> whole_path_losses(WholePath& path) {
  std::vector<std::string> wrong;
  auto conn = store::Connection::open(
      *store::StoreUrl::parse("sqlite:" + path.store_path().string()), store::Durability::strict);
  if (!conn) return {"the store does not open: " + conn.error().message};
  auto& sql = (*conn)->sql();

  std::set<std::int64_t> stored;
  soci::rowset<soci::row> trades = (sql.prepare << "SELECT tid FROM trades");
  for (const auto& r : trades) stored.insert(store::get_int(r, 0));
  const UnixSeconds now = SystemClock().now();
  for (const auto& [tid, t] : path.top.expected())
    if (t.modified <= now - 30 && !stored.contains(tid))
      wrong.push_back("trade " + std::to_string(tid) + " never stored");

  std::map<std::int64_t, std::string> confirmed;  // tid -> the waybill we told
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT tid, waybill_no FROM ship_confirmations WHERE state = 'sent'");
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
