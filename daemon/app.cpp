#include "app.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/api_router.hpp"
#include "capabilities.hpp"
#include "capability_set.hpp"
#include "command_support.hpp"
#include "common/allocator.hpp"
#include "common/log.hpp"
#include "core_jobs.hpp"
#include "graceful_stop.hpp"
#include "http/http_server.hpp"
#include "outbound/curl_multi_client.hpp"
#include "store_ready.hpp"

namespace fulfil::daemon {

namespace asio = boost::asio;

namespace {

// The start, and every setting in effect, once, line by line as the TOML reads, so a log
// shows what the daemon ran with.
void log_start(const Config& config, const std::string& instance, const StoreAccess& store) {
  log::info("fulfild starting", {{"instance", instance},
                                 {"config", config.origin},
                                 {"store", store.url().masked()},
                                 {"listen", config.http_listen},
                                 {"workers", config.workers}});
  std::istringstream text(describe(config));
  for (std::string line; std::getline(text, line);)
    if (!line.empty()) log::info("config: " + line);
  for (const auto& w : config_warnings(config)) log::warn("config leaves work undone: " + w);
}

// A start refused before the port is bound: the reason logged and on stderr.
int refuse_start(std::string_view what, const Error& e, int status) {
  log::error(std::string(what), {{"error", e.message}});
  return command_error(e.message, status);
}

// Binds the HTTP port and announces it (the log, --port-file); 0, or the exit status of a
// start refused with the reason.
int listen(http::HttpServer& server, const std::string& listen_at,
           const std::optional<std::filesystem::path>& port_file) {
  auto address = http::parse_listen_address(listen_at);
  if (!address) return refuse_start("bad listen address", address.error(), k_exit_usage);
  auto port = server.listen(address->first, address->second);
  if (!port) return refuse_start("cannot listen", port.error(), k_exit_failed);
  log::info("http listening", {{"address", address->first}, {"port", static_cast<int>(*port)}});
  if (port_file) std::ofstream(*port_file) << *port << "\n";
  return 0;
}

// However run_daemon ends, the loop is stopped before the HTTP client goes: its destructor
// then closes its transfers at once instead of waiting for a loop that may never have run
// (a start that fails must exit, not hang).
struct StopLoopOnExit {
  asio::io_context& io;
  ~StopLoopOnExit() { io.stop(); }
};

}  // namespace

int App::main() {
  if (m_options.command == "help") {
    std::cout << (m_options.subcommand.empty() ? usage() : usage_of(m_options.subcommand));
    return k_exit_ok;
  }
  if (m_options.command == "version") {
    std::cout << "fulfild 0.1.0\n";
    return k_exit_ok;
  }
  const auto& table = command_table();
  const auto command = std::find_if(table.begin(), table.end(),
                                    [&](const Command& c) { return c.name == m_options.command; });
  if (command == table.end()) return k_exit_usage;
  if (!command->needs_config) return command->run(m_options, nullptr);
  auto config = load_effective_config(m_options, command->needs_secrets);
  if (!config) return command_error(config.error().message, k_exit_usage);
  if (!log::configure(config->log_level, config->log_json))
    return command_error("unknown log level " + config->log_level, k_exit_usage);
  if (m_options.command == "run") return run_daemon(std::move(*config));
  return command->run(m_options, &*config);
}

bool App::reload(LiveConfig& live, CapabilitySet& capabilities) const {
  auto fresh = load_effective_config(m_options);
  Result<void> applied =
      fresh ? capabilities.reload(*fresh) : Result<void>(std::unexpected(fresh.error()));
  if (!applied) {
    log::error("reload refused: keeping the running config", {{"error", applied.error().message}});
    return false;
  }
  const auto running = live.get();
  if (fresh->store_url != running->store_url || fresh->http_listen != running->http_listen)
    log::warn("store url and http listen take effect only after a restart");
  for (const auto& section : capabilities.restart_only_changes(*running, *fresh))
    log::warn("the [" + section + "] settings take effect only after a restart");
  log::configure(fresh->log_level, fresh->log_json);
  live.set(std::make_shared<const Config>(std::move(*fresh)));
  log::info("config reloaded", {{"config", live.get()->origin},
                                {"shops", static_cast<int>(live.get()->shops.size())}});
  return true;
}

int App::run_daemon(Config initial) {
  LiveConfig live(std::make_shared<const Config>(std::move(initial)));
  const auto config = live.get();
  SystemClock clock;
  asio::io_context io;
  asio::thread_pool pool(static_cast<std::size_t>(config->workers));
  asio::thread_pool api_pool(2);  // the API's own: long syncs never queue /healthz or a lookup
  StoreAccess store(*store::StoreUrl::parse(config->store_url));
  Cancellation cancel;
  api::ProcessState state;
  state.instance_id = instance_id(*config);
  state.started_at = clock.now();
  Cluster cluster(state.instance_id, state.started_at);
  StoreHealth store_health;
  state.cluster = &cluster;
  state.store_health = &store_health;
  Scheduler scheduler(io, pool);
  outbound::CurlMultiClient http(io, config->http_client);  // every job's outside calls
  state.breakers = &http.breakers();
  StopLoopOnExit stop_loop_on_exit{io};
  log_start(*config, state.instance_id, store);
  Services services{store, clock, live, state, &http, &cancel};
  CapabilitySet capabilities(make_capabilities(), services);
  // Everything that can refuse the start is done before the port is bound and announced.
  if (auto started = capabilities.start(*config); !started)
    return command_error(started.error().message, k_exit_usage);
  api::ApiRouter router(services, capabilities);
  std::shared_ptr<asio::ssl::context> tls;
  if (!config->http_tls_cert.empty()) {
    auto made = http::server_tls_context(config->http_tls_cert, config->http_tls_key);
    if (!made) return refuse_start("cannot start TLS", made.error(), k_exit_usage);
    tls = *made;
  }
  http::HttpServer server(io, [&](const http::Request& r) { return router.handle(r); },
                          {.handler_pool = &api_pool, .tls = tls});
  if (int refused = listen(server, config->http_listen, m_options.port_file)) return refused;
  auto schedule = [&] {
    beat(cluster, store, clock);  // a first heartbeat, so the shops are shared at once
    auto jobs = core_jobs(store, clock, cluster, store_health);
    for (auto& job : capabilities.jobs(live.get())) jobs.push_back(std::move(job));
    for (auto& j : jobs) scheduler.add(j.name, j.first_delay, j.next_delay, j.body);
  };
  StoreReady store_ready(io, pool, store, state.stopping, [&] {
    state.ready = true;
    schedule();
  });
  store_ready.start();
  GracefulStop stop(io, scheduler);
  asio::signal_set signals(io, SIGINT, SIGTERM, SIGHUP);
  std::function<void(boost::system::error_code, int)> on_signal = [&](auto ec, int sig) {
    if (ec) return;
    if (sig == SIGHUP) {
      if (reload(live, capabilities)) {
        scheduler.clear();
        if (state.ready) schedule();
      }
      return signals.async_wait(on_signal);
    }
    const auto grace = std::chrono::seconds(live.get()->shutdown_grace_seconds);
    log::info(
        "shutting down",
        {{"signal", sig}, {"running_jobs", scheduler.running()}, {"grace_seconds", grace.count()}});
    state.stopping = true;
    state.ready = false;
    server.stop();
    scheduler.clear();
    store_ready.cancel();
    cancel.cancel();
    http.shutdown();  // calls in flight end now, so their jobs finish within the grace
    stop.begin(grace);
  };
  signals.async_wait(on_signal);
  auto work = asio::make_work_guard(io);
  io.run();
  if (auto conn = store.local(store::Durability::relaxed)) cluster.leave(**conn);
  if (stop.abandoned()) {
    std::fflush(nullptr);
    std::_Exit(k_exit_ok);  // a worker is stuck in a call; do not wait for it
  }
  pool.join();
  api_pool.join();
  capabilities.stop();
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
