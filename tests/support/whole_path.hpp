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
#include "store/database.hpp"
#include "top_simulator.hpp"

namespace fulfil::test {

struct WholePathOptions {
  std::int64_t trades = 60;
  // Trades are created in [now + from_seconds, now + to_seconds): a span reaching into the
  // future makes them arrive at a steady rate as the clock passes them.
  std::int64_t from_seconds = -2 * 3600;
  std::int64_t to_seconds = -120;
  std::uint64_t seed = 7;
  // Run the daemon under libfiu's preloads (what `fiu-run -x` sets up, plus open64): faults
  // are then switched on and off with fiu().
  bool under_fiu = false;
  int shop_interval_seconds = 5;
  bool steady_arrivals = false;  // see TopSimSettings
};

// Every outside system the daemon calls, simulated in this process, each behind its own
// FaultProxy: the platform (TOP: sync, ship confirmations, Cainiao e-waybills), SF Express,
// Kuaidi100 (tracking subscriptions) and a ZPL label printer on raw TCP. The real fulfild
// (`run`) reaches them only through the proxies, on SQLite in `dir`. Returns checked in
// through its API become slips for the customer-service peer (fulfil-service-peer, over
// ZeroMQ with CURVE), which keeps each slip it acknowledges in slips.jsonl.
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

  void start_peer();
  void stop_peer(int sig);
  // Checks in return number n through POST /api/v1/returns under its own request key;
  // returns the HTTP status (0: no answer).
  long check_in(int n);
  // What is wrong with the slips of returns 0..n-1 (empty: the peer holds each exactly once,
  // as the daemon wrote it, and no other return was made).
  std::vector<std::string> slip_losses(int n);
  // Runs `fiu-ctrl -c COMMAND` on the daemon (under_fiu); returns whether it was taken.
  bool fiu(const std::string& command);

  std::vector<sim::FaultProxy*> proxies();
  // The proxies' names, in the order of proxies().
  static std::vector<std::string> proxy_names();

  // The person at the printer: a label the daemon could not confirm (its job was out when
  // the daemon was killed, or the printer's answer was lost) waits in state 'check' for
  // someone to look. Once the printer's buffer is empty, each is looked for among what came
  // out and the answer goes through POST /api/v1/labels/{id}/checked, as the pack station's
  // page sends it (not printed: the daemon prints it again). Returns how many were decided.
  int check_uncertain_labels();

  // A connection of its own to the daemon's SQLite store.
  Result<std::unique_ptr<store::Connection>> open_store(store::Durability durability) const;
  // One number from the store (-1 while it cannot be read).
  long long count(const std::string& sql) const;
  // Paid trades the platform served (the daemon must ship each once).
  std::set<std::int64_t> paid_tids() const;
  // Whether every paid trade that arrived so far was told shipped, and its waybill printed
  // and subscribed for tracking.
  bool all_through() const;

  const std::filesystem::path& store_path() const { return m_store; }
  const std::filesystem::path& config_path() const { return m_config; }

  sim::TopSimulator top;
  sim::SfSimulator sf{"FULFIL", "check-word"};
  sim::Kuaidi100Simulator kuaidi100{"CUST", "k100-key"};
  sim::PrinterSimulator printer{{.labels_per_second = 400, .check_graphics = false}};
  std::unique_ptr<sim::FaultProxy> top_proxy, sf_proxy, kuaidi100_proxy, printer_proxy;

 private:
  // POSTs a JSON body to the daemon's API with the packer's token; returns the HTTP status.
  long post_as_packer(const std::string& path, const std::string& json_body);

  std::filesystem::path m_dir, m_store, m_config;
  WholePathOptions m_options;
  int m_http_port = 0;
  std::string m_bearer;
  std::unique_ptr<Restartable> m_daemon, m_peer;
};

// Checks the whole path after a run and returns what is wrong, one line each (empty: all
// held): every trade stored once, every paid trade told shipped once with the waybill we
// hold, no courier issued twice for a key, every waybill printed, none printed twice.
std::vector<std::string> whole_path_losses(WholePath& path);

// The last `max` warning and error lines of a daemon's log, for a failure message.
std::string problems_in(const std::string& said, std::size_t max = 40);

}  // namespace fulfil::test
