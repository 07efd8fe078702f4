#pragma once
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "common/clock.hpp"
#include "config.hpp"
#include "printing/print_service.hpp"
#include "printing/template_library.hpp"
#include "raster/font.hpp"
#include "store_access.hpp"
#include "transport/tcp9100.hpp"
#include "transport/transport.hpp"

namespace fulfil::daemon {

// The TCP 9100 settings of a configured printer (transport = "tcp"); a bad address is a
// config error naming the printer.
Result<printers::TcpSettings> tcp_settings(const printing::PrinterSettings& p);

// How a printer is doing, as the pool sees it.
struct PrinterHealth {
  std::string state = "ready";  // ready | printing | fault | resting
  std::string fault;            // the last fault, as the printer or transport said it
  UnixSeconds since = 0;        // in this state since
  UnixSeconds resume_at = 0;    // fault or rest: not asked before this
  UnixSeconds working_since = 0;
  std::int64_t printed = 0;  // labels confirmed since start
};

// The printing capability as the daemon runs it: the font, the templates and one transport
// per configured printer, made once at start (a missing font or a template that does not
// parse stops the start with the reason), and the pool's view of each printer.
class PrintingRuntime {
 public:
  static Result<std::unique_ptr<PrintingRuntime>> start(const printing::PrintSettings& settings);
  PrintingRuntime() = default;
  ~PrintingRuntime();  // stops the printers' workers after the job each is printing
  PrintingRuntime(const PrintingRuntime&) = delete;
  PrintingRuntime& operator=(const PrintingRuntime&) = delete;

  // The daemon's way: labels queued for parcels that got waybills, and each printer's
  // worker (started on the first call) woken. A worker prints job after job while its
  // kinds have labels, so a printer never waits for another or for the next pass; after a
  // fault it rests fault_retry_seconds, and its duty cycle rests it after print_minutes.
  Result<void> queue_and_wake(std::shared_ptr<const Config> config, StoreAccess& store,
                              const Clock& clock);

  // One pass, returning when it is done (tests, tools): labels queued, then every printer
  // that is not resting or in a fault prints up to jobs_per_pass jobs from the queue of its
  // kinds, all printers at once (a thread each). A printer that stops (paper out, jam,
  // silence) rests for fault_retry_seconds while the others take its labels.
  Result<void> run_once(const Config& config, StoreAccess& store, const Clock& clock);
  // A service on `conn` for the API and CLI.
  printing::PrintService service(store::Connection& conn, const Clock& clock, const Config& config);
  printers::Font& font() { return *m_font; }
  const printing::TemplateLibrary& templates() const { return m_templates; }
  std::map<std::string, PrinterHealth> health() const;

 private:
  // Prints up to `max_jobs` jobs on `p`; returns how many jobs it printed. An exception
  // faults the printer instead of leaving the thread.
  int print_on(const printing::PrinterSettings& p, const Config& config, StoreAccess& store,
               const Clock& clock, int max_jobs);
  int print_jobs(const printing::PrinterSettings& p, const Config& config, StoreAccess& store,
                 const Clock& clock, int max_jobs);
  // Whether `p` may print now (not resting or in a fault; its duty cycle allows it).
  bool may_print(const printing::PrinterSettings& p, UnixSeconds now);
  void worker(const printing::PrinterSettings& p, std::shared_ptr<const Config> config,
              StoreAccess& store, const Clock& clock);

  std::shared_ptr<printers::Font> m_font;
  printing::TemplateLibrary m_templates;
  std::map<std::string, std::unique_ptr<printers::Transport>> m_transports;
  mutable std::mutex m_mutex;
  std::map<std::string, PrinterHealth> m_health;
  std::set<std::string> m_recovered;  // printers whose jobs a crash left were settled
  std::map<std::string, std::thread> m_workers;
  std::atomic<bool> m_stop{false};
  std::mutex m_wake_mutex;
  std::condition_variable m_wake;
};

}  // namespace fulfil::daemon
