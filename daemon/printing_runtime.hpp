#pragma once
#include <map>
#include <memory>

#include "common/clock.hpp"
#include "config.hpp"
#include "printing/print_service.hpp"
#include "printing/template_library.hpp"
#include "raster/font.hpp"
#include "store_access.hpp"
#include "transport/transport.hpp"

namespace fulfil::daemon {

// The printing capability as the daemon runs it: the font, the templates and one transport
// per configured printer, made once at start (a missing font or a template that does not
// parse stops the start with the reason).
class PrintingRuntime {
 public:
  static Result<std::unique_ptr<PrintingRuntime>> start(const printing::PrintSettings& settings);

  // One pass: labels queued for parcels that got waybills, then every printer prints its
  // queue (after settling jobs a crash left unconfirmed).
  Result<void> run_once(const Config& config, StoreAccess& store, const Clock& clock);
  // A service on `conn` for the API and CLI.
  printing::PrintService service(store::Connection& conn, const Clock& clock, const Config& config);
  printers::Font& font() { return *m_font; }
  const printing::TemplateLibrary& templates() const { return m_templates; }

 private:
  std::shared_ptr<printers::Font> m_font;
  printing::TemplateLibrary m_templates;
  std::map<std::string, std::unique_ptr<printers::Transport>> m_transports;
  bool m_recovered = false;
};

}  // namespace fulfil::daemon
