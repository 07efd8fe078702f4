#include "capabilities/printing/printing_runtime.hpp"

#include <thread>

#include "common/log.hpp"
#include "store/writer_turns.hpp"
#include "transport/cups.hpp"
#include "transport/spool.hpp"
#include "transport/tcp9100.hpp"

namespace fulfil::daemon {

Result<printers::TcpSettings> tcp_settings(const printing::PrinterSettings& p) {
  auto address = printers::parse_printer_address(p.target);
  if (!address) return std::unexpected(with_context(address.error(), "printer " + p.name));
  printers::TcpSettings t;
  std::tie(t.host, t.port) = *address;
  t.language = p.language;
  t.answer_timeout = std::chrono::milliseconds(p.answer_timeout_ms);
  t.label_timeout = std::chrono::seconds(p.label_timeout_seconds);
  t.poll = std::chrono::milliseconds(p.poll_ms);
  t.window = p.window;
  return t;
}

Result<std::unique_ptr<PrintingRuntime>> PrintingRuntime::start(
    const printing::PrintSettings& settings) {
  auto font = printers::Font::open(settings.font);
  if (!font) return std::unexpected(with_context(font.error(), "printing.font"));
  auto templates = printing::TemplateLibrary::load(settings.templates_dir);
  if (!templates) return std::unexpected(templates.error());
  const std::pair<std::string, std::string_view> wanted[] = {
      {settings.waybill_template, "waybill"},
      {settings.packing_template, "packing_list"},
      {settings.pick_list_template, "pick_list"}};
  for (const auto& [name, kind] : wanted) {
    const auto* t = templates->find(name);
    if (!t) return fail(ErrorKind::config, "printing: no label template named " + name);
    if (t->kind != kind)
      return fail(ErrorKind::config, "printing: template " + name + " is a " + t->kind +
                                         " template, not a " + std::string(kind) + " one");
  }
  auto rt = std::make_unique<PrintingRuntime>();
  rt->m_font = std::move(*font);
  rt->m_templates = std::move(*templates);
  for (const auto& p : settings.printers) {
    if (p.transport == printing::TransportKind::tcp) {
      auto tcp = tcp_settings(p);
      if (!tcp) return std::unexpected(tcp.error());
      rt->m_transports[p.name] = std::make_unique<printers::Tcp9100Transport>(*tcp);
    } else if (p.transport == printing::TransportKind::cups) {
      printers::CupsSettings c;
      c.uri = p.target;
      c.format =
          p.language == printers::Language::pdf ? "application/pdf" : "application/octet-stream";
      c.job_timeout = std::chrono::seconds(p.label_timeout_seconds);
      rt->m_transports[p.name] = std::make_unique<printers::CupsTransport>(c);
    } else {
      rt->m_transports[p.name] = std::make_unique<printers::SpoolTransport>(
          p.target, std::string(printers::extension(p.language)));
    }
    rt->m_transports[p.name]->stop_when(&rt->m_stop);
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

PrintingRuntime::~PrintingRuntime() {
  m_stop = true;
  m_wake.notify_all();
  for (auto& [name, t] : m_workers) t.join();
}

int PrintingRuntime::print_on(const printing::PrinterSettings& p, const Config& config,
                              StoreAccess& store, const Clock& clock, int max_jobs) {
  // Nothing a printer says, and no bug on this printer's path, may end the process: an
  // exception faults this printer (its labels go to the others) and the daemon goes on.
  try {
    return print_jobs(p, config, store, clock, max_jobs);
  } catch (const std::exception& e) {
    store.reset_local();
    const UnixSeconds now = clock.now();
    log::error("printer worker failed; printer stopped",
               {{"printer", p.name}, {"error", e.what()}});
    std::lock_guard lock(m_mutex);
    PrinterHealth& h = m_health[p.name];
    h.state = "fault";
    h.fault = std::string("internal error: ") + e.what();
    h.since = now;
    h.resume_at = now + config.printing.fault_retry_seconds;
    h.working_since = 0;
    return 0;
  }
}

int PrintingRuntime::print_jobs(const printing::PrinterSettings& p, const Config& config,
                                StoreAccess& store, const Clock& clock, int max_jobs) {
  auto conn = store.local(store::Durability::strict);
  if (!conn) return 0;
  auto svc = service(**conn, clock, config);
  auto& transport = *m_transports.at(p.name);
  bool first = false;
  {
    std::lock_guard lock(m_mutex);
    first = m_recovered.insert(p.name).second;
  }
  if (first) {
    auto settled = svc.recover(p, transport);
    if (settled && *settled)
      log::info("print jobs settled after restart", {{"printer", p.name}, {"labels", *settled}});
  }
  auto r = svc.print(p, transport, max_jobs);
  const UnixSeconds now = clock.now();
  std::lock_guard lock(m_mutex);
  PrinterHealth& h = m_health[p.name];
  if (!r) {
    store.reset_local();
    log::error("printing pass failed", {{"printer", p.name}, {"error", r.error().message}});
    return 0;
  }
  h.printed += r->printed;
  if (r->fault) {
    h.state = "fault";
    h.fault = r->fault->message;
    h.since = now;
    h.resume_at = now + config.printing.fault_retry_seconds;
    h.working_since = 0;
  } else if (h.state != "ready" && h.state != "printing" && (h.state != "fault" || r->jobs > 0)) {
    // A printer in a fault is ready again only once a job went through: with nothing to
    // print nobody asked it, and its last fault is still the latest news of it.
    h.state = "ready";
    h.fault.clear();
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
  return r->fault ? 0 : r->jobs;
}

bool PrintingRuntime::may_print(const printing::PrinterSettings& p, UnixSeconds now) {
  std::lock_guard lock(m_mutex);
  PrinterHealth& h = m_health[p.name];
  if (h.resume_at > now) return false;
  // Duty cycle: print for print_minutes, then rest for rest_minutes.
  if (p.print_minutes > 0) {
    if (h.working_since == 0) h.working_since = now;
    if (now - h.working_since >= p.print_minutes * 60LL) {
      h.state = "resting";
      h.since = now;
      h.resume_at = now + p.rest_minutes * 60LL;
      h.working_since = 0;
      log::info("printer resting", {{"printer", p.name}, {"minutes", p.rest_minutes}});
      return false;
    }
  }
  return true;
}

void PrintingRuntime::worker(const printing::PrinterSettings& p,
                             std::shared_ptr<const Config> config, StoreAccess& store,
                             const Clock& clock) {
  store::WriterTurns::name_holder("print");
  while (!m_stop) {
    // One job at a time, so faults, rests and the stop are seen between jobs.
    const int jobs = may_print(p, clock.now()) ? print_on(p, *config, store, clock, 1) : 0;
    if (jobs > 0) continue;
    std::unique_lock lock(m_wake_mutex);
    m_wake.wait_for(lock, std::chrono::seconds(1));
  }
}

Result<void> PrintingRuntime::queue_and_wake(std::shared_ptr<const Config> config,
                                             StoreAccess& store, const Clock& clock) {
  if (!config->printing.enabled || config->printing.printers.empty()) return {};
  auto conn = store.local(store::Durability::strict);
  if (!conn) return std::unexpected(conn.error());
  auto queued = service(**conn, clock, *config).queue();
  if (!queued) {
    store.reset_local();
    log::error("queueing labels failed", {{"error", queued.error().message}});
    return std::unexpected(queued.error());
  }
  {
    // Callers may come from several threads: each printer gets exactly one worker.
    std::lock_guard lock(m_mutex);
    for (const auto& p : config->printing.printers)
      if (!m_workers.contains(p.name))
        m_workers[p.name] =
            std::thread([this, &p, config, &store, &clock] { worker(p, config, store, clock); });
  }
  if (*queued) m_wake.notify_all();
  return {};
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
  for (const auto& p : config.printing.printers)
    if (may_print(p, now)) ready.push_back(&p);
  std::vector<std::thread> threads;
  for (const auto* p : ready)
    threads.emplace_back([this, p, &config, &store, &clock] {
      print_on(*p, config, store, clock, config.printing.jobs_per_pass);
    });
  for (auto& t : threads) t.join();
  return {};
}

}  // namespace fulfil::daemon
