#include "printing_runtime.hpp"

#include "common/log.hpp"
#include "transport/spool.hpp"

namespace fulfil::daemon {

Result<std::unique_ptr<PrintingRuntime>> PrintingRuntime::start(
    const printing::PrintSettings& settings) {
  auto font = printers::Font::open(settings.font);
  if (!font) return std::unexpected(with_context(font.error(), "printing.font"));
  auto templates = printing::TemplateLibrary::load(settings.templates_dir);
  if (!templates) return std::unexpected(templates.error());
  for (const auto& name : {settings.waybill_template, settings.packing_template})
    if (!templates->find(name))
      return fail(ErrorKind::config, "printing: no label template named " + name);
  auto rt = std::make_unique<PrintingRuntime>();
  rt->m_font = std::move(*font);
  rt->m_templates = std::move(*templates);
  for (const auto& p : settings.printers)
    rt->m_transports[p.name] = std::make_unique<printers::SpoolTransport>(
        p.target, std::string(printers::extension(p.language)));
  return rt;
}

printing::PrintService PrintingRuntime::service(store::Connection& conn, const Clock& clock,
                                                const Config& config) {
  return printing::PrintService(conn, clock, config.printing, config.shipping, m_templates,
                                *m_font);
}

Result<void> PrintingRuntime::run_once(const Config& config, StoreAccess& store,
                                       const Clock& clock) {
  if (!config.printing.enabled || config.printing.printers.empty()) return {};
  auto conn = store.local(store::Durability::strict);
  if (!conn) return std::unexpected(conn.error());
  auto svc = service(**conn, clock, config);
  auto fail_with = [&](const Error& e) -> Result<void> {
    store.reset_local();
    log::error("printing pass failed", {{"error", e.message}, {"kind", to_string(e.kind)}});
    return std::unexpected(e);
  };
  auto queued = svc.queue();
  if (!queued) return fail_with(queued.error());
  for (const auto& p : config.printing.printers) {
    auto& transport = *m_transports.at(p.name);
    if (!m_recovered) {
      auto settled = svc.recover(p, transport);
      if (!settled) return fail_with(settled.error());
      if (*settled)
        log::info("print jobs settled after restart", {{"printer", p.name}, {"labels", *settled}});
    }
    auto r = svc.print(p, transport);
    if (!r) return fail_with(r.error());
    if (r->printed || r->failed || r->requeued)
      log::info("printed", {{"printer", p.name},
                            {"jobs", r->jobs},
                            {"labels", r->printed},
                            {"parcels", static_cast<std::int64_t>(r->printed_parcels.size())},
                            {"failed", r->failed},
                            {"requeued", r->requeued}});
  }
  m_recovered = true;
  return {};
}

}  // namespace fulfil::daemon
