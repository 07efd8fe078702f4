#include "printing_runtime.hpp"

#include <thread>

#include "common/log.hpp"
#include "transport/spool.hpp"
#include "transport/tcp9100.hpp"

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
  for (const auto& p : settings.printers) {
    if (p.transport == printing::TransportKind::tcp) {
      printers::TcpSettings t;
      const auto colon = p.target.rfind(':');
      t.host = p.target.substr(0, colon);
      t.port = colon == std::string::npos ? 9100 : std::stoi(p.target.substr(colon + 1));
      t.language = p.language;
      t.answer_timeout = std::chrono::milliseconds(p.answer_timeout_ms);
      t.label_timeout = std::chrono::seconds(p.label_timeout_seconds);
      t.poll = std::chrono::milliseconds(p.poll_ms);
      rt->m_transports[p.name] = std::make_unique<printers::Tcp9100Transport>(t);
    } else {
      rt->m_transports[p.name] = std::make_unique<printers::SpoolTransport>(
          p.target, std::string(printers::extension(p.language)));
    }
    rt->m_health[p.name] = {};
  }
  return rt;
}

printing::PrintService PrintingRuntime::service(store::Connection& conn, const Clock& clock,
                                                const Config& config) {
  return printing::PrintService(conn, clock, config.printing, config.shipping, m_templates,
                                *m_font);
}

std::map<std::string, PrinterHealth> PrintingRuntime::health() const {
  std::lock_guard lock(m_mutex);
  return m_health;
}

void PrintingRuntime::print_on(const printing::PrinterSettings& p, const Config& config,
                               StoreAccess& store, const Clock& clock) {
  auto conn = store.local(store::Durability::strict);
  if (!conn) return;
  auto svc = service(**conn, clock, config);
  auto& transport = *m_transports.at(p.name);
  if (!m_recovered) {
    auto settled = svc.recover(p, transport);
    if (settled && *settled)
      log::info("print jobs settled after restart", {{"printer", p.name}, {"labels", *settled}});
  }
  auto r = svc.print(p, transport, config.printing.jobs_per_pass);
  const UnixSeconds now = clock.now();
  std::lock_guard lock(m_mutex);
  PrinterHealth& h = m_health[p.name];
  if (!r) {
    store.reset_local();
    log::error("printing pass failed", {{"printer", p.name}, {"error", r.error().message}});
    return;
  }
  h.printed += r->printed;
  if (r->fault) {
    h.state = "fault";
    h.fault = r->fault->message;
    h.since = now;
    h.resume_at = now + config.printing.fault_retry_seconds;
    h.working_since = 0;
  } else if (h.state != "ready" && h.state != "printing") {
    h.state = "ready";
    h.since = now;
  }
  if (r->printed || r->failed || r->requeued || r->check)
    log::info("printed", {{"printer", p.name},
                          {"jobs", r->jobs},
                          {"labels", r->printed},
                          {"parcels", static_cast<std::int64_t>(r->printed_parcels.size())},
                          {"failed", r->failed},
                          {"to_check", r->check},
                          {"requeued", r->requeued}});
}

Result<void> PrintingRuntime::run_once(const Config& config, StoreAccess& store,
                                       const Clock& clock) {
  if (!config.printing.enabled || config.printing.printers.empty()) return {};
  auto conn = store.local(store::Durability::strict);
  if (!conn) return std::unexpected(conn.error());
  auto queued = service(**conn, clock, config).queue();
  if (!queued) {
    store.reset_local();
    log::error("printing pass failed", {{"error", queued.error().message}});
    return std::unexpected(queued.error());
  }
  const UnixSeconds now = clock.now();
  std::vector<const printing::PrinterSettings*> ready;
  {
    std::lock_guard lock(m_mutex);
    for (const auto& p : config.printing.printers) {
      PrinterHealth& h = m_health[p.name];
      if (h.resume_at > now) continue;
      // Duty cycle: print for print_minutes, then rest for rest_minutes.
      if (p.print_minutes > 0) {
        if (h.working_since == 0) h.working_since = now;
        if (now - h.working_since >= p.print_minutes * 60LL) {
          h.state = "resting";
          h.since = now;
          h.resume_at = now + p.rest_minutes * 60LL;
          h.working_since = 0;
          log::info("printer resting", {{"printer", p.name}, {"minutes", p.rest_minutes}});
          continue;
        }
      }
      ready.push_back(&p);
    }
  }
  std::vector<std::thread> threads;
  for (const auto* p : ready)
    threads.emplace_back(
        [this, p, &config, &store, &clock] { print_on(*p, config, store, clock); });
  for (auto& t : threads) t.join();
  m_recovered = true;
  return {};
}

}  // namespace fulfil::daemon
