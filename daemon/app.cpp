#include "app.hpp"

#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "aftersale_config.hpp"
#include "aftersale_runtime.hpp"
#include "api/api_router.hpp"
#include "api/api_util.hpp"
#include "api/return_routes.hpp"
#include "cluster.hpp"
#include "common/allocator.hpp"
#include "common/cancellation.hpp"
#include "common/log.hpp"
#include "common/timeutil.hpp"
#include "courier/number_pool.hpp"
#include "csvimport/csv_importer.hpp"
#include "http/http_server.hpp"
#include "jobs.hpp"
#include "modules.hpp"
#include "outbound/curl_multi_client.hpp"
#include "printing_runtime.hpp"
#include "review/review_service.hpp"
#include "review/stock.hpp"
#include "scheduler.hpp"
#include "startup_checks.hpp"
#include "store/migrations.hpp"
#include "store/row_reader.hpp"
#include "store_health.hpp"
#include "transport/tcp9100.hpp"

namespace fulfil::daemon {

namespace asio = boost::asio;

namespace {

constexpr int k_exit_ok = 0, k_exit_failed = 1, k_exit_usage = 2, k_exit_bad_rows = 3;

// Opens a connection and brings the schema up to date.
Result<std::unique_ptr<store::Connection>> open_migrated(const std::string& url_text) {
  auto url = store::StoreUrl::parse(url_text);
  if (!url) return std::unexpected(url.error());
  auto conn = store::Connection::open(*url, store::Durability::strict);
  if (!conn) return std::unexpected(conn.error());
  auto v = migrate_all(**conn);
  if (!v) return std::unexpected(v.error());
  return std::move(*conn);
}

// The migrated store for a one-shot command; nullptr, with the reason printed, when it
// cannot be opened.
std::unique_ptr<store::Connection> open_for_command(const Config& config) {
  auto conn = open_migrated(config.store_url);
  if (!conn) {
    std::cerr << "fulfild: " << conn.error().message << "\n";
    return nullptr;
  }
  return std::move(*conn);
}

// Printing needs its font and templates: a config that names a missing one does not start.
// Null when printing is off or has no printers.
Result<std::shared_ptr<PrintingRuntime>> start_printing(const Config& cfg) {
  if (!cfg.printing.enabled || cfg.printing.printers.empty())
    return std::shared_ptr<PrintingRuntime>();
  auto rt = PrintingRuntime::start(cfg.printing);
  if (!rt) return std::unexpected(rt.error());
  return std::shared_ptr<PrintingRuntime>(std::move(*rt));
}

void log_effective_config(const Config& config) {
  std::istringstream text(describe(config));
  for (std::string line; std::getline(text, line);)
    if (!line.empty()) log::info("config: " + line);
  for (const auto& w : config_warnings(config)) log::warn("config leaves work undone: " + w);
}

const ShopConfig* find_shop(const Config& c, const std::string& name) {
  for (const auto& s : c.shops)
    if (s.name == name) return &s;
  return nullptr;
}

// Keeps one shop from running twice at once inside this process (a reload may schedule a
// shop again while its previous run is still going).
class ShopGuards {
 public:
  bool try_enter(const std::string& shop) {
    std::lock_guard lock(m_mutex);
    return m_running.insert(shop).second;
  }
  void leave(const std::string& shop) {
    std::lock_guard lock(m_mutex);
    m_running.erase(shop);
  }

 private:
  std::mutex m_mutex;
  std::set<std::string> m_running;
};

}  // namespace

std::string App::instance_id(const Config& c) const {
  if (!c.instance_id.empty()) return c.instance_id;
  // The host name, stable across restarts: a daemon restarted after a crash takes its
  // leases straight back instead of waiting for them to expire. Several daemons on one
  // host must set instance_id.
  char host[256] = "host";
  ::gethostname(host, sizeof host - 1);
  return host;
}

Result<Config> App::load() const {
  auto c = load_config(m_options.config);
  if (!c) return c;
  if (m_options.store_url) {
    if (auto u = store::StoreUrl::parse(*m_options.store_url); !u)
      return std::unexpected(u.error());
    c->store_url = *m_options.store_url;
  }
  if (m_options.http_listen) {
    if (auto a = http::parse_listen_address(*m_options.http_listen); !a)
      return std::unexpected(with_context(a.error(), "--listen"));
    c->http_listen = *m_options.http_listen;
  }
  if (m_options.log_level) c->log_level = *m_options.log_level;
  if (auto s = apply_secrets(*c, m_options.secrets, [](const char* k) { return std::getenv(k); });
      !s)
    return std::unexpected(s.error());
  return c;
}

int App::main() {
  if (m_options.command == "help") {
    std::cout << (m_options.subcommand.empty() ? usage() : usage_of(m_options.subcommand));
    return k_exit_ok;
  }
  if (m_options.command == "version") {
    std::cout << "fulfild 0.1.0\n";
    return k_exit_ok;
  }
  if (m_options.command == "check-config") return check_config();
  if (m_options.command == "keygen") return keygen_command();
  auto config = load();
  if (!config) {
    std::cerr << "fulfild: " << config.error().message << "\n";
    return k_exit_usage;
  }
  if (!log::configure(config->log_level, config->log_json)) {
    std::cerr << "fulfild: unknown log level " << config->log_level << "\n";
    return k_exit_usage;
  }
  if (m_options.command == "run") return run_daemon(std::move(*config));
  if (m_options.command == "sync") return sync_once(*config);
  if (m_options.command == "import-csv") return import_csv(*config);
  if (m_options.command == "migrate") return migrate_only(*config);
  if (m_options.command == "reconcile") return reconcile(*config);
  if (m_options.command == "review") return review_command(*config);
  if (m_options.command == "stock") return stock_command(*config);
  if (m_options.command == "waybill") return waybill_command(*config);
  if (m_options.command == "label") return label_command(*config);
  if (m_options.command == "printer") return printer_command(*config);
  if (m_options.command == "cluster") return cluster_command(*config);
  if (m_options.command == "return") return return_command(*config);
  return k_exit_usage;
}

int App::keygen_command() {
  auto keys = aftersale::generate_key_pair();
  if (keys) {
    if (auto w = aftersale::write_key_pair(*m_options.out, *keys); !w)
      keys = std::unexpected(w.error());
  }
  if (!keys) {
    std::cerr << "fulfild: " << keys.error().message << "\n";
    return k_exit_failed;
  }
  std::cout << m_options.out->string() << ".key (secret, mode 0600)\n"
            << m_options.out->string() << ".pub  public-key = \"" << keys->public_z85 << "\"\n";
  return k_exit_ok;
}

int App::return_command(const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  SystemClock clock;
  aftersale::ReturnService service(*conn, clock, config.aftersale.returns);
  const std::string& sub = m_options.subcommand;
  auto print = [](const Result<aftersale::ReturnRecord>& r) {
    if (!r) {
      std::cerr << "fulfild: " << r.error().message << "\n";
      return r.error().kind == ErrorKind::invalid_input ? k_exit_usage : k_exit_failed;
    }
    std::cout << boost::json::serialize(api::return_json(*r)) << "\n";
    return k_exit_ok;
  };
  if (sub == "scan") {
    auto s = service.scan(m_options.code);
    if (!s) {
      std::cerr << "fulfild: " << s.error().message << "\n";
      return k_exit_failed;
    }
    std::cout << "parcel " << s->parcel_id << " (" << s->parcel_state << "), shop " << s->shop
              << ", buyer " << s->buyer_nick << ", waybill " << s->outbound_waybill << "\n";
    for (const auto& l : s->lines)
      std::cout << "  oid " << l.line.oid << "  " << l.line.outer_sku_id << "  " << l.line.title
                << "  x" << l.line.num << " (returned before: " << l.returned_before << ")\n";
    return k_exit_ok;
  }
  if (sub == "list") {
    aftersale::ReturnFilter f;
    f.state = m_options.state;
    f.courier = m_options.courier;
    f.limit = 200;
    auto rows = service.list(f);
    if (!rows) {
      std::cerr << "fulfild: " << rows.error().message << "\n";
      return k_exit_failed;
    }
    for (const auto& r : *rows)
      std::cout << r.id << "  " << r.state << "  " << r.courier << " " << r.waybill_no << "  "
                << (r.tid ? std::to_string(*r.tid) : "-") << "  "
                << format_iso_shanghai(r.received_at) << "  " << r.received_by << "\n";
    return k_exit_ok;
  }
  if (sub == "show") {
    auto id = api::parse_id(m_options.code, "return id");
    if (!id) return print(std::unexpected(id.error()));
    auto r = service.get(*id);
    if (!r) return print(std::unexpected(r.error()));
    if (!*r) return print(fail(ErrorKind::not_found, "no return " + m_options.code));
    return print(**r);
  }
  // check-in and match: the form from --form (the API's JSON body), the rest from options.
  boost::json::object body;
  if (m_options.form) {
    std::ifstream in(*m_options.form);
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    auto v = boost::json::parse(text.str(), ec);
    if (!in || ec || !v.is_object()) {
      std::cerr << "fulfild: " << m_options.form->string() << ": expected a JSON object\n";
      return k_exit_usage;
    }
    body = v.as_object();
  }
  body["code"] = m_options.code;
  if (!m_options.courier.empty()) body["courier"] = m_options.courier;
  if (!body.contains("condition")) body["condition"] = m_options.condition;
  if (m_options.unidentified) body["unidentified"] = true;
  auto c = api::read_check_in(body, m_options.user);
  if (!c) return print(std::unexpected(c.error()));
  if (sub == "match") {
    auto id = api::parse_id(m_options.tid, "return id");
    if (!id) return print(std::unexpected(id.error()));
    return print(service.match(*id, *c));
  }
  return print(service.check_in(*c));
}

int App::check_config() {
  auto config = load();
  if (config) {
    // "OK" means `run` starts: what it opens before binding is opened here too.
    if (auto startable = check_startable(*config); !startable)
      config = std::unexpected(startable.error());
  }
  if (!config) {
    std::cerr << "fulfild: config is not valid:\n" << config.error().message << "\n";
    return k_exit_usage;
  }
  for (const auto& w : config_warnings(*config)) std::cerr << "fulfild: warning: " << w << "\n";
  std::cout << describe(*config);
  return k_exit_ok;
}

int App::migrate_only(const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  std::cout << "store schema version " << store::latest_schema_version() << "\n";
  return k_exit_ok;
}

int App::sync_once(const Config& config) {
  if (!open_for_command(config)) return k_exit_failed;
  if (!m_options.shop.empty() && !find_shop(config, m_options.shop)) {
    std::cerr << "fulfild: no shop named " << m_options.shop << " in the config\n";
    return k_exit_usage;
  }
  auto url = store::StoreUrl::parse(config.store_url);
  StoreAccess store(*url);
  SystemClock clock;
  Cancellation cancel;
  outbound::OwnedHttpClient http(config.http_client);
  int status = k_exit_ok;
  for (const auto& shop : config.shops) {
    if (!m_options.shop.empty() && shop.name != m_options.shop) continue;
    auto r = run_shop_once(config, shop, store, http, clock, instance_id(config), cancel);
    if (!r) {
      std::cerr << "fulfild: shop " << shop.name << ": sync failed (" << to_string(r.error().kind)
                << "): " << r.error().message << "\n";
      status = k_exit_failed;
      continue;
    }
    std::cout << "shop " << shop.name << ": "
              << (r->skipped ? "skipped (another instance holds it) " : "") << "inserted "
              << r->inserted << ", updated " << r->updated << ", unchanged " << r->unchanged
              << ", quarantined " << r->quarantined + r->bad_rows << "\n";
  }
  return status;
}

int App::import_csv(const Config& config) {
  std::string shop = m_options.shop;
  if (shop.empty() && config.shops.size() == 1) shop = config.shops.front().name;
  if (shop.empty()) {
    std::cerr << "fulfild: import-csv needs --shop NAME (several shops are configured)\n";
    return k_exit_usage;
  }
  if (!find_shop(config, shop)) {
    std::cerr << "fulfild: no shop named " << shop << " in the config\n";
    return k_exit_usage;
  }
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  SystemClock clock;
  csvimport::CsvImporter importer(*conn, clock);
  auto report = importer.import_file(*m_options.file, shop);
  if (!report) {
    std::cerr << "fulfild: " << report.error().message << "\n";
    return k_exit_failed;
  }
  std::cout << report->file << ": " << report->rows << " rows; inserted " << report->stored.inserted
            << ", updated " << report->stored.updated << ", unchanged " << report->stored.unchanged
            << ", bad rows " << report->bad_rows.size()
            << (report->seen_before ? " (file seen before)" : "") << "\n";
  for (const auto& b : report->bad_rows)
    std::cerr << report->file << ":" << b.line << ": " << b.reason << "\n";
  return report->bad_rows.empty() ? k_exit_ok : k_exit_bad_rows;
}

int App::reconcile(const Config& config) {
  auto day = parse_iso(m_options.day);
  if (!day || m_options.day.size() != 10) {
    std::cerr << "fulfild: --day: expected YYYY-MM-DD\n";
    return k_exit_usage;
  }
  if (!open_for_command(config)) return k_exit_failed;
  StoreAccess store(*store::StoreUrl::parse(config.store_url));
  SystemClock clock;
  Cancellation cancel;
  outbound::OwnedHttpClient http(config.http_client);
  int status = k_exit_ok;
  for (const auto& shop : config.shops) {
    if (shop.source != ShopConfig::Source::top) continue;
    if (!m_options.shop.empty() && shop.name != m_options.shop) continue;
    auto r = reconcile_shop(config, shop, store, http, clock, instance_id(config), *day, cancel);
    if (!r) {
      std::cerr << "fulfild: shop " << shop.name << ": reconcile failed: " << r.error().message
                << "\n";
      status = k_exit_failed;
    } else {
      std::cout << "shop " << shop.name << ": repaired " << *r << " trades\n";
    }
  }
  return status;
}

int App::review_command(const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  SystemClock clock;
  review::ReviewService review(*conn, clock, config.review);
  if (m_options.subcommand == "shortage") {
    auto r = review.shortage();
    if (!r) {
      std::cerr << "fulfild: " << r.error().message << "\n";
      return k_exit_failed;
    }
    if (r->empty()) std::cout << "no SKU is oversold\n";
    for (const auto& o : *r)
      std::cout << "SKU " << o.sku << ": on hand " << o.on_hand << ", reserved " << o.reserved
                << "; parked " << o.parked.size() << " parcels\n";
    return k_exit_ok;
  }
  auto stats = review.stats();
  if (!stats) {
    std::cerr << "fulfild: " << stats.error().message << "\n";
    return k_exit_failed;
  }
  std::printf("%-16s %10s %10s %10s  %s\n", "slice", "ready", "key city", "in review", "range");
  for (const auto& s : stats->slices)
    std::printf("%-16s %10lld %10lld %10lld  %s\n", s.slice.c_str(),
                static_cast<long long>(s.ready), static_cast<long long>(s.key_city_ready),
                static_cast<long long>(s.in_review), s.range.c_str());
  std::printf("\n");
  for (const auto& [state, n] : stats->by_state)
    std::printf("%-16s %10lld\n", state.c_str(), static_cast<long long>(n));
  std::printf("%-16s %10lld\n", "not yet taken in", static_cast<long long>(stats->signals_waiting));
  return k_exit_ok;
}

int App::stock_command(const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  std::ifstream in(*m_options.file, std::ios::binary);
  if (!in) {
    std::cerr << "fulfild: " << m_options.file->string() << ": cannot be read\n";
    return k_exit_failed;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  SystemClock clock;
  auto r = review::StockRepository(*conn).load_csv(bytes.str(), m_options.file->filename(), "cli",
                                                   clock.now());
  if (!r) {
    std::cerr << "fulfild: " << r.error().message << "\n";
    return k_exit_bad_rows;
  }
  std::cout << m_options.file->string() << ": " << r->rows << " SKUs; created " << r->created
            << ", changed " << r->changed << "\n";
  return k_exit_ok;
}

int App::waybill_command(const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  courier::NumberPool pool(*conn);
  if (m_options.subcommand == "status") {
    auto levels = pool.levels();
    if (!levels) {
      std::cerr << "fulfild: " << levels.error().message << "\n";
      return k_exit_failed;
    }
    std::printf("%-8s %12s %12s %8s\n", "courier", "left", "used", "void");
    for (const auto& l : *levels)
      std::printf(
          "%-8s %12lld %12lld %8lld%s\n", l.courier.c_str(), static_cast<long long>(l.free),
          static_cast<long long>(l.used), static_cast<long long>(l.void_),
          config.shipping.find(l.courier) && l.free < config.shipping.find(l.courier)->low_pool
              ? "  (low)"
              : "");
    return k_exit_ok;
  }
  if (!config.shipping.find(m_options.courier)) {
    std::cerr << "fulfild: no courier " << m_options.courier << " in [shipping]\n";
    return k_exit_usage;
  }
  SystemClock clock;
  Result<courier::PoolImport> r = fail(ErrorKind::invalid_input, "");
  if (!m_options.range.empty()) {
    r = pool.import_range(m_options.courier, m_options.range, clock.now());
  } else {
    std::ifstream in(*m_options.file, std::ios::binary);
    if (!in) {
      std::cerr << "fulfild: " << m_options.file->string() << ": cannot be read\n";
      return k_exit_failed;
    }
    std::ostringstream text;
    text << in.rdbuf();
    r = pool.import_list(m_options.courier, text.str(), clock.now());
  }
  if (!r) {
    std::cerr << "fulfild: " << r.error().message << "\n";
    return k_exit_bad_rows;
  }
  std::cout << m_options.courier << ": added " << r->added << " numbers, " << r->duplicates
            << " already in the pool\n";
  return k_exit_ok;
}

int App::label_command(const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  auto tid = api::parse_id(m_options.tid, "TID");
  if (!tid) {
    std::cerr << "fulfild: TID must be a trade number, got \"" << m_options.tid << "\"\n";
    return k_exit_usage;
  }
  SystemClock clock;
  auto parcel = review::ReviewService(*conn, clock, config.review).parcel_of(*tid);
  if (!parcel || !*parcel) {
    std::cerr << "fulfild: trade " << m_options.tid << " is in no parcel\n";
    return k_exit_failed;
  }
  auto rt = PrintingRuntime::start(config.printing);
  if (!rt) {
    std::cerr << "fulfild: " << rt.error().message << "\n";
    return k_exit_usage;
  }
  const auto kind = *printing::parse_label_kind(m_options.kind);
  auto doc = (*rt)->service(*conn, clock, config).document(**parcel, kind);
  if (!doc) {
    std::cerr << "fulfild: " << doc.error().message << "\n";
    return k_exit_failed;
  }
  const printers::Document* docs[] = {&*doc};
  auto bytes = m_options.format == "png" ? printers::render_png(*doc, 0, (*rt)->font())
                                         : printers::render_pdf(docs, (*rt)->font());
  if (!bytes) {
    std::cerr << "fulfild: " << bytes.error().message << "\n";
    return k_exit_failed;
  }
  const std::filesystem::path out = m_options.out.value_or("label-" + m_options.tid + "-" +
                                                           m_options.kind + "." + m_options.format);
  std::ofstream(out, std::ios::binary) << *bytes;
  std::cout << out.string() << " (" << doc->pages.size() << " page(s), template "
            << doc->template_name << ")\n";
  for (const auto& w : doc->warnings) std::cout << "warning: " << w << "\n";
  return k_exit_ok;
}

int App::printer_command(const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  auto counted = printing::count_labels(*conn);
  if (!counted) {
    std::cerr << "fulfild: " << counted.error().message << "\n";
    return k_exit_failed;
  }
  auto& counts = *counted;
  std::printf("%-16s %-7s %-32s %8s %6s %6s  %s\n", "printer", "lang", "where", "queued", "check",
              "failed", "says");
  for (const auto& p : config.printing.printers) {
    long long queued = 0;
    for (auto k : p.kinds) queued += counts[std::string(printing::to_string(k))]["queued"];
    std::string says;
    if (p.transport == printing::TransportKind::tcp) {
      auto tcp = tcp_settings(p);
      auto st = tcp ? printers::Tcp9100Transport(*tcp).status()
                    : Result<printers::PrinterStatus>(std::unexpected(tcp.error()));
      says = st ? st->describe() : st.error().message;
    } else {
      std::error_code ec;
      says = std::filesystem::is_directory(p.target, ec) ? "spool folder ready"
                                                         : "spool folder not created yet";
    }
    std::printf("%-16s %-7s %-32s %8lld %6lld %6lld  %s\n", p.name.c_str(),
                std::string(printers::to_string(p.language)).c_str(), p.target.c_str(), queued,
                static_cast<long long>(counts[p.name]["check"] + counts[p.name]["sent"]),
                static_cast<long long>(counts[p.name]["failed"]), says.c_str());
  }
  return k_exit_ok;
}

int App::cluster_command(const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  SystemClock clock;
  store::ClusterRepository repo(*conn);
  auto members = repo.alive(clock.now(), Cluster::k_member_ttl_seconds);
  auto leases = repo.leases(clock.now());
  if (!members || !leases) {
    std::cerr << "fulfild: " << (members ? leases.error() : members.error()).message << "\n";
    return k_exit_failed;
  }
  std::vector<std::string> shops, ids;
  for (const auto& s : config.shops) shops.push_back(s.name);
  for (const auto& m : *members) ids.push_back(m.instance);
  std::printf("%-20s %-20s %8s  %-19s  %s\n", "instance", "host", "pid", "last seen", "shops");
  for (const auto& m : *members) {
    std::string mine;
    for (const auto& shop : shops)
      if (shop_owner(shop, shops, ids) == m.instance) mine += (mine.empty() ? "" : " ") + shop;
    std::printf("%-20s %-20s %8lld  %-19s  %s\n", m.instance.c_str(), m.host.c_str(),
                static_cast<long long>(m.pid), format_gmt8(m.seen_at).c_str(), mine.c_str());
  }
  if (members->empty())
    std::printf("(no daemon has beaten in the last %llds)\n",
                static_cast<long long>(Cluster::k_member_ttl_seconds));
  std::printf("\n%-32s %-20s %s\n", "lease", "holder", "until");
  for (const auto& l : *leases)
    std::printf("%-32s %-20s %s\n", l.name.c_str(), l.holder.c_str(),
                format_gmt8(l.expires_at).c_str());
  return k_exit_ok;
}

int App::run_daemon(Config initial) {
  auto config = std::make_shared<const Config>(std::move(initial));
  const std::string instance = instance_id(*config);
  SystemClock clock;
  asio::io_context io;
  asio::thread_pool pool(static_cast<std::size_t>(config->workers));
  // The API gets threads of its own: long syncs must never queue /healthz or a lookup.
  asio::thread_pool api_pool(2);
  StoreAccess store(*store::StoreUrl::parse(config->store_url));
  Cancellation cancel;
  api::ProcessState state;
  state.instance_id = instance;
  state.started_at = clock.now();
  Cluster cluster(instance, state.started_at);
  state.cluster = &cluster;
  StoreHealth store_health;
  state.store_health = &store_health;
  Scheduler scheduler(io, pool);
  ShopGuards guards;
  // The daemon's one HTTP client, on its event loop: every job's outside call goes here.
  outbound::CurlMultiClient http(io, config->http_client);
  state.breakers = &http.breakers();
  // However run_daemon ends, the loop is stopped before the HTTP client goes: its destructor
  // then closes its transfers at once instead of waiting for a loop that may never have run
  // (a start that fails must exit, not hang).
  struct StopLoopOnExit {
    asio::io_context& io;
    ~StopLoopOnExit() { io.stop(); }
  } stop_loop_on_exit{io};

  log::info("fulfild starting", {{"instance", instance},
                                 {"config", config->origin},
                                 {"store", store.url().masked()},
                                 {"listen", config->http_listen},
                                 {"workers", config->workers}});
  // Every setting in effect, once, so a log shows what the daemon ran with: line by line, as
  // the TOML reads.
  log_effective_config(*config);

  // The config in force, shared with the API threads (a reload swaps it).
  std::mutex live_mutex;
  std::shared_ptr<const Config> live = config;
  auto live_review = [&] {
    std::lock_guard lock(live_mutex);
    return std::shared_ptr<const review::ReviewSettings>(live, &live->review);
  };
  auto live_shipping = [&] {
    std::lock_guard lock(live_mutex);
    return std::shared_ptr<const courier::CourierSettings>(live, &live->shipping);
  };
  std::shared_ptr<PrintingRuntime> live_printing;  // guarded by live_mutex
  auto printing_now = [&] {
    std::lock_guard lock(live_mutex);
    return api::PrintingContext{live, live_printing};
  };
  // The after-sale channel: keys, ZAP handler and feed are checked before anything binds;
  // a channel that was configured and cannot run stops the start.
  std::unique_ptr<AftersaleRuntime> aftersale_rt;
  if (!config->aftersale.channel.service_endpoint.empty() ||
      !config->aftersale.channel.status_bind.empty()) {
    auto rt = AftersaleRuntime::start(config->aftersale.channel, store.url(), instance, clock);
    if (!rt) {
      log::error("after-sale channel cannot start", {{"error", rt.error().message}});
      std::cerr << "fulfild: " << rt.error().message << "\n";
      return k_exit_usage;
    }
    aftersale_rt = std::move(*rt);
  }
  auto aftersale_now = [&] {
    std::lock_guard lock(live_mutex);
    api::AftersaleContext ctx{
        std::shared_ptr<const aftersale::AftersaleSettings>(live, &live->aftersale), {}};
    if (aftersale_rt)
      ctx.channel = [rt = aftersale_rt.get()] {
        return std::optional<aftersale::ChannelStatus>(rt->status());
      };
    return ctx;
  };
  // Everything that can refuse the start is done before the port is bound and announced.
  auto first_printing = start_printing(*config);
  if (!first_printing) {
    log::error("printing cannot start", {{"error", first_printing.error().message}});
    std::cerr << "fulfild: " << first_printing.error().message << "\n";
    return k_exit_usage;
  }
  live_printing = *first_printing;
  api::ApiRouter router(store, state, clock, live_review, live_shipping, printing_now,
                        aftersale_now);
  http::HttpServer server(io, [&](const http::Request& r) { return router.handle(r); },
                          {.handler_pool = &api_pool});
  auto hp = http::parse_listen_address(config->http_listen);
  if (!hp) {
    log::error("bad listen address", {{"error", hp.error().message}});
    std::cerr << "fulfild: " << hp.error().message << "\n";
    return k_exit_usage;
  }
  auto port = server.listen(hp->first, hp->second);
  if (!port) {
    log::error("cannot listen", {{"error", port.error().message}});
    std::cerr << "fulfild: " << port.error().message << "\n";
    return k_exit_failed;
  }
  log::info("http listening", {{"address", hp->first}, {"port", static_cast<int>(*port)}});
  if (m_options.port_file) std::ofstream(*m_options.port_file) << *port << "\n";

  auto beat = [&] {
    if (auto conn = store.local(store::Durability::relaxed))
      cluster.beat(**conn, clock.now());
    else
      log::warn("cluster heartbeat skipped", {{"error", conn.error().message}});
  };
  auto schedule = [&](std::shared_ptr<const Config> cfg,
                      std::shared_ptr<PrintingRuntime> printing) {
    std::vector<std::string> shop_names;
    for (const auto& s : cfg->shops) shop_names.push_back(s.name);
    {
      std::lock_guard lock(state.mutex);
      state.shops = shop_names;
    }
    // Several daemons on one store share the shops: each syncs its share (shop_owner).
    beat();
    scheduler.add(
        "store-check", std::chrono::seconds(2), [] { return std::chrono::seconds(2); },
        [&] { store_health.check(store, clock.now()); });
    scheduler.add(
        "cluster", std::chrono::seconds(Cluster::k_beat_seconds),
        [] { return std::chrono::seconds(Cluster::k_beat_seconds); }, beat);
    for (const auto& shop : cfg->shops) {
      auto interval = std::chrono::seconds(shop.interval_seconds);
      scheduler.add(
          "shop:" + shop.name, std::chrono::milliseconds(0), [interval] { return interval; },
          [&, cfg, shop, shop_names] {
            if (!cluster.owns(shop.name, shop_names)) return;
            if (!guards.try_enter(shop.name)) return;
            (void)run_shop_once(*cfg, shop, store, http, clock, instance, cancel);
            guards.leave(shop.name);
          });
    }
    {
      auto first = std::make_shared<bool>(true);
      scheduler.add(
          "review", std::chrono::milliseconds(0),
          [interval = std::chrono::seconds(cfg->review_interval_seconds)] { return interval; },
          [&, cfg, first] {
            if (run_review_once(*cfg, store, clock, *first)) *first = false;
          });
    }
    scheduler.add(
        "shipping", std::chrono::seconds(1),
        [interval = std::chrono::seconds(cfg->shipping_interval_seconds)] { return interval; },
        [&, cfg] { (void)run_shipping_once(*cfg, store, http, clock); });
    {
      std::lock_guard lock(live_mutex);
      live_printing = printing;
    }
    if (printing)
      scheduler.add(
          "printing", std::chrono::seconds(1),
          [interval = std::chrono::seconds(cfg->printing_interval_seconds)] { return interval; },
          [&, cfg, rt = printing] { (void)rt->queue_and_wake(cfg, store, clock); });
    if (cfg->shipping.tracking.enabled)
      scheduler.add(
          "tracking", std::chrono::seconds(2), [] { return std::chrono::seconds(60); },
          [&, cfg] { (void)run_tracking_once(*cfg, store, http, clock); });
    // SQLite: the WAL is copied into the database here, off every request's path.
    scheduler.add(
        "checkpoint", std::chrono::seconds(1), [] { return std::chrono::milliseconds(1000); },
        [&] {
          auto conn = store.local(store::Durability::relaxed);
          if (!conn) return;
          try {
            (*conn)->checkpoint();
          } catch (const std::exception& e) {
            log::warn("checkpoint failed", {{"error", e.what()}});
            store.reset_local();
          }
        });
    if (cfg->reconcile_at) {
      auto [h, m] = *cfg->reconcile_at;
      auto next = [&clock, h, m] { return until_shanghai_time(clock.now(), h, m); };
      scheduler.add("reconcile", next(), next, [&, cfg] {
        // Yesterday, Shanghai time.
        const UnixSeconds local = clock.now() + k_shanghai_offset;
        const UnixSeconds today = local - local % 86400 - k_shanghai_offset;
        for (const auto& shop : cfg->shops)
          (void)reconcile_shop(*cfg, shop, store, http, clock, instance, today - 86400, cancel);
      });
    }
  };

  // Migrations may wait for a database that is still starting: retry until they pass,
  // then the daemon is ready and its jobs start.
  std::function<void()> start;
  asio::steady_timer retry_timer(io);
  start = [&] {
    asio::post(pool, [&] {
      auto conn = store.local(store::Durability::strict);
      Result<int> version = conn ? migrate_all(**conn) : Result<int>(std::unexpected(conn.error()));
      if (version) version = store::current_schema_version(**conn);
      asio::post(io, [&, version] {
        if (state.stopping) return;
        if (!version) {
          store.reset_local();
          log::error("store not ready; retrying in 5 s", {{"error", version.error().message}});
          retry_timer.expires_after(std::chrono::seconds(5));
          retry_timer.async_wait([&](boost::system::error_code ec) {
            if (!ec) start();
          });
          return;
        }
        log::info("store ready", {{"schema_version", *version}});
        state.ready = true;
        std::shared_ptr<PrintingRuntime> printing;
        {
          std::lock_guard lock(live_mutex);
          printing = live_printing;
        }
        schedule(config, printing);
      });
    });
  };
  start();

  asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  asio::steady_timer drain_timer(io);
  std::chrono::steady_clock::time_point deadline;
  bool abandoned = false;
  std::function<void()> drain = [&] {
    if (scheduler.running() == 0) {
      log::info("all jobs finished; exiting");
      io.stop();
      return;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      log::warn(
          "jobs still running after the grace period; exiting anyway (their open transactions roll "
          "back)",
          {{"running", scheduler.running()}});
      abandoned = true;
      io.stop();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(50));
    drain_timer.async_wait([&](boost::system::error_code) { drain(); });
  };
  std::function<void(boost::system::error_code, int)> on_signal = [&](boost::system::error_code ec,
                                                                      int sig) {
    if (ec) return;
    if (sig == SIGHUP) {
      // A reload applies whole or not at all: printing is started afresh before anything is
      // swapped, and a config it cannot run with leaves the running one in force.
      auto fresh = load();
      Result<std::shared_ptr<PrintingRuntime>> printing =
          fresh ? start_printing(*fresh) : std::unexpected(fresh.error());
      if (!printing) {
        log::error("reload refused: keeping the running config",
                   {{"error", printing.error().message}});
      } else {
        if (fresh->store_url != config->store_url || fresh->http_listen != config->http_listen)
          log::warn("store url and http listen take effect only after a restart");
        if (describe_aftersale(fresh->aftersale) != describe_aftersale(config->aftersale))
          log::warn("the after-sale channel's settings take effect only after a restart");
        log::configure(fresh->log_level, fresh->log_json);
        config = std::make_shared<const Config>(std::move(*fresh));
        {
          std::lock_guard lock(live_mutex);
          live = config;
        }
        scheduler.clear();
        {
          std::lock_guard lock(live_mutex);
          live_printing = *printing;
        }
        if (state.ready) schedule(config, *printing);
        log::info("config reloaded",
                  {{"config", config->origin}, {"shops", static_cast<int>(config->shops.size())}});
      }
      signals.async_wait(on_signal);
      return;
    }
    log::info("shutting down", {{"signal", sig},
                                {"running_jobs", scheduler.running()},
                                {"grace_seconds", config->shutdown_grace_seconds}});
    state.stopping = true;
    state.ready = false;
    server.stop();
    scheduler.clear();
    retry_timer.cancel();
    cancel.cancel();
    http.shutdown();  // calls in flight end now, so their jobs finish within the grace
    deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(config->shutdown_grace_seconds);
    drain();
  };
  signals.async_wait(on_signal);

  auto work = asio::make_work_guard(io);
  io.run();
  if (auto conn = store.local(store::Durability::relaxed)) cluster.leave(**conn);
  if (abandoned) {
    std::fflush(nullptr);
    std::_Exit(k_exit_ok);  // a worker is stuck in a call; do not wait for it
  }
  pool.join();
  api_pool.join();
  aftersale_rt.reset();  // unacked slips stay in the outbox for the next start
  log::info("fulfild stopped");
  return k_exit_ok;
}

int run_main(int argc, const char* const* argv) {
  tune_allocator();
  auto options = parse_cli(argc, argv);
  if (!options) {
    std::cerr << "fulfild: " << options.error().message << "\n\n" << usage();
    return k_exit_usage;
  }
  try {
    return App(std::move(*options)).main();
  } catch (const std::exception& e) {
    log::error("fatal", {{"error", e.what()}});
    std::cerr << "fulfild: fatal: " << e.what() << "\n";
    return k_exit_failed;
  }
}

}  // namespace fulfil::daemon
