#include "capabilities/reminders/reminders_job.hpp"

#include <map>

#include "common/log.hpp"
#include "reminders/intake.hpp"
#include "reminders/planning.hpp"
#include "reminders/sms_sender.hpp"
#include "reminders/template_store.hpp"
#include "reminders/writeback.hpp"
#include "store/lease_repository.hpp"

namespace fulfil::daemon {

namespace {

Result<void> pass(const Config& config, store::Connection& conn, outbound::HttpClient& http,
                  const Clock& clock, std::string& sms_alert) {
  const auto& s = config.reminders;
  if (auto seeded = reminders::TemplateStore(conn, clock).seed_builtins(); !seeded)
    return std::unexpected(seeded.error());
  auto taken = reminders::Intake(conn, clock, s).take_unpaid();
  if (!taken) return std::unexpected(taken.error());
  auto settled = reminders::Intake(conn, clock, s).settle();
  if (!settled) return std::unexpected(settled.error());
  auto planned = reminders::Planning(conn, clock, s).plan();
  if (!planned) return std::unexpected(planned.error());
  reminders::SendCounts sent;
  if (s.sms.enabled) {
    reminders::SmsClient client(http, clock, s.sms);
    auto r = reminders::SmsSender(conn, clock, s, client).run();
    if (!r) return std::unexpected(r.error());
    sent = *r;
    sms_alert = sent.alert;
  }
  std::map<std::string, std::unique_ptr<platform::TopClient>> clients;
  for (const auto& shop : config.shops)
    if (shop.on_platform())
      clients[shop.name] = std::make_unique<platform::TopClient>(http, clock, shop.top, shop.name);
  auto written = reminders::Writebacks(conn, clock, [&](const std::string& shop) {
                   auto it = clients.find(shop);
                   return it == clients.end() ? nullptr : it->second.get();
                 }).run();
  if (!written) return std::unexpected(written.error());
  if (taken->trades || settled->paid || settled->closed || planned->im || planned->phone ||
      planned->sms || planned->given_up || planned->expired || sent.sent || sent.settled ||
      sent.unsettled || sent.rejected || written->done || written->refused)
    log::info("reminders pass", {{"unpaid_in", taken->trades},
                                 {"reminders_new", taken->reminders},
                                 {"paid", settled->paid},
                                 {"recovered", settled->recovered},
                                 {"closed", settled->closed},
                                 {"im_tasks", planned->im},
                                 {"phone_tasks", planned->phone},
                                 {"texts_planned", planned->sms},
                                 {"expired", planned->expired},
                                 {"texts_sent", sent.sent},
                                 {"texts_settled", sent.settled},
                                 {"texts_refused", sent.rejected},
                                 {"writebacks", written->done},
                                 {"writebacks_refused", written->refused}});
  return {};
}

}  // namespace

void ReminderHealth::ran(UnixSeconds at, std::string error, std::string sms_alert) {
  std::lock_guard lock(m_mutex);
  m_last_run = at;
  m_error = std::move(error);
  m_sms_alert = std::move(sms_alert);
}

boost::json::object ReminderHealth::json(bool& degraded) const {
  std::lock_guard lock(m_mutex);
  if (!m_sms_alert.empty()) degraded = true;
  boost::json::object o;
  o["last_run"] = m_last_run;
  o["error"] = m_error.empty() ? boost::json::value(nullptr) : boost::json::value(m_error);
  o["sms_alert"] =
      m_sms_alert.empty() ? boost::json::value(nullptr) : boost::json::value(m_sms_alert);
  return o;
}

Result<void> run_reminders_once(const Config& config, StoreAccess& store,
                                outbound::HttpClient& http, const Clock& clock,
                                const std::string& instance_id, ReminderHealth& health) {
  if (!config.reminders.enabled) return {};
  auto conn = store.local(store::Durability::strict);
  if (!conn) return std::unexpected(conn.error());
  store::LeaseRepository leases(**conn);
  auto lease = store::ScopedLease::take(leases, "reminders", instance_id, clock.now(), 600);
  if (!lease) {
    store.reset_local();
    return std::unexpected(lease.error());
  }
  if (!*lease) return {};  // another daemon runs them
  std::string alert;
  auto r = pass(config, **conn, http, clock, alert);
  if (!r) {
    if (r.error().kind == ErrorKind::storage) store.reset_local();
    log::error("reminders pass failed", {{"error", r.error().message}});
  }
  health.ran(clock.now(), r ? "" : r.error().message, alert);
  return r;
}

}  // namespace fulfil::daemon
