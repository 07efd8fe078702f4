#pragma once
#include <map>
#include <memory>
#include <mutex>

#include "common/clock.hpp"
#include "config.hpp"
#include "printing/print_service.hpp"
#include "printing/template_library.hpp"
#include "raster/font.hpp"
#include "store_access.hpp"
#include "transport/transport.hpp"

namespace fulfil::daemon {

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

  // One pass: labels queued for parcels that got waybills, then every printer that is not
  // resting or in a fault prints from the queue of its kinds, all printers at once (a
  // thread each). A printer that stops (paper out, jam, silence) rests for
  // fault_retry_seconds while the others take its labels; a duty cycle rests it after
  // print_minutes for rest_minutes.
  Result<void> run_once(const Config& config, StoreAccess& store, const Clock& clock);
  // A service on `conn` for the API and CLI.
  printing::PrintService service(store::Connection& conn, const Clock& clock, const Config& config);
  printers::Font& font() { return *m_font; }
  const printing::TemplateLibrary& templates() const { return m_templates; }
  std::map<std::string, PrinterHealth> health() const;

 private:
  void print_on(const printing::PrinterSettings& p, const Config& config, StoreAccess& store,
                const Clock& clock);

  std::shared_ptr<printers::Font> m_font;
  printing::TemplateLibrary m_templates;
  std::map<std::string, std::unique_ptr<printers::Transport>> m_transports;
  mutable std::mutex m_mutex;
  std::map<std::string, PrinterHealth> m_health;
  bool m_recovered = false;
};

}  // namespace fulfil::daemon
