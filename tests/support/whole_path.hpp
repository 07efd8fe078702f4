#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "fault_proxy.hpp"
#include "kuaidi100_simulator.hpp"
#include "printer_simulator.hpp"
#include "process.hpp"
#include "sf_simulator.hpp"
#include "top_simulator.hpp"

namespace fulfil::test {

struct WholePathOptions {
  std::int64_t trades = 60;
  // Trades are created in [now + from_seconds, now + to_seconds): a span reaching into the
  // future makes them arrive at a steady rate as the clock passes them.
  std::int64_t from_seconds = -2 * 3600;
  std::int64_t to_seconds = -120;
  std::uint64_t seed = 7;
  bool under_fiu = false;  // run the daemon under `fiu-run -x` (libfiu's POSIX faults)
  int shop_interval_seconds = 5;
};

// Every outside system the daemon calls, simulated in this process, each behind its own
// FaultProxy: the platform (TOP: sync, ship confirmations, Cainiao e-waybills), SF Express,
// Kuaidi100 (tracking subscriptions) and a ZPL label printer on raw TCP. The real fulfild
// (`run`) reaches them only through the proxies, on SQLite in `dir`.
class WholePath {
 public:
  WholePath(std::filesystem::path dir, WholePathOptions options);
  ~WholePath();

  void start_daemon();
  // Signals the daemon and waits for it (SIGKILL: a crash; SIGTERM: a drain).
  void stop_daemon(int sig);
  pid_t daemon_pid() { return m_daemon->pid(); }
  bool daemon_running() { return m_daemon->running(); }
  // Everything every life of the daemon said on stderr.
  std::string daemon_said();

  std::vector<sim::FaultProxy*> proxies();
  // The proxies' names, in the order of proxies().
  static std::vector<std::string> proxy_names();

  // One number from the store (-1 while it cannot be read).
  long long count(const std::string& sql) const;
  // Paid trades the platform served (the daemon must ship each once).
  std::set<std::int64_t> paid_tids() const;
  // Whether every paid trade created so far was told shipped and its waybill printed.
  bool all_shipped_and_printed() const;

  const std::filesystem::path& store_path() const { return m_store; }
  const std::filesystem::path& config_path() const { return m_config; }

  sim::TopSimulator top;
  sim::SfSimulator sf{"FULFIL", "check-word"};
  sim::Kuaidi100Simulator kuaidi100{"CUST", "k100-key"};
  sim::PrinterSimulator printer{{.labels_per_second = 400, .check_graphics = false}};
  std::unique_ptr<sim::FaultProxy> top_proxy, sf_proxy, kuaidi100_proxy, printer_proxy;

 private:
  std::filesystem::path m_dir, m_store, m_config;
  WholePathOptions m_options;
  std::unique_ptr<Restartable> m_daemon;
};

// Checks the whole path after a run and returns what is wrong, one line each (empty: all
// held): every trade stored once, every paid trade told shipped once with the waybill we
// hold, no courier issued twice for a key, every waybill printed, none printed twice.
std::vector<std::string> whole_path_losses(WholePath& path);

}  // namespace fulfil::test
