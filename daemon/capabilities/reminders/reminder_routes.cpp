#include "capabilities/reminders/reminder_routes.hpp"

#include <boost/json/array.hpp>

#include "api/store_call.hpp"
#include "capabilities/reminders/reminder_json.hpp"
#include "reminders/buyer_list.hpp"
#include "reminders/template_store.hpp"

namespace fulfil::daemon {

namespace json = boost::json;
using api::from_error;

namespace {

Result<bool> bool_field(const json::object& o, std::string_view name, bool dflt) {
  auto it = o.find(name);
  if (it == o.end()) return dflt;
  if (!it->value().is_bool())
    return fail(ErrorKind::invalid_input, std::string(name) + ": expected true or false");
  return it->value().as_bool();
}

class ReminderRoutes {
 public:
  explicit ReminderRoutes(Services& s) : m_s(s) {}

  http::Response list(const http::Request& req) {
    if (auto refused = api::unknown_parameter(req, {"state", "buyer", "limit"})) return *refused;
    auto limit = api::limit_param(req, 50, 1000);
    if (!limit) return from_error(limit.error());
    const auto state = param(req, "state"), buyer = param(req, "buyer");
    static const std::set<std::string> k_states{
        "", "open", "paid", "closed", "closed_request", "refused", "given_up", "excluded"};
    if (!k_states.contains(state))
      return api::error(400, "invalid_input",
                        "state: open, paid, closed, closed_request, refused, given_up or "
                        "excluded, not \"" +
                            state + "\"");
    return api::with_store(m_s.store, store::Durability::relaxed, [&](store::Connection& c) {
      auto rows = reminders::ReminderQueries(c).list(state, buyer, *limit);
      if (!rows) return from_error(rows.error());
      json::array out;
      for (const auto& r : *rows) out.push_back(reminder_json(r));
      return api::ok(json::object{{"reminders", std::move(out)}});
    });
  }

  http::Response get(std::int64_t id) {
    return api::with_store(m_s.store, store::Durability::relaxed, [&](store::Connection& c) {
      auto d = reminders::ReminderQueries(c).get(id);
      if (!d) return from_error(d.error());
      return api::ok(reminder_detail_json(*d));
    });
  }

  http::Response tasks(const http::Request& req) {
    if (auto refused = api::unknown_parameter(req, {"channel", "limit"})) return *refused;
    auto limit = api::limit_param(req, 50, 500);
    if (!limit) return from_error(limit.error());
    const auto channel = reminders::parse_channel(param(req, "channel", "phone"));
    if (!channel || *channel == reminders::Channel::sms)
      return api::error(400, "invalid_input", "channel: phone or im");
    const auto config = m_s.live.get();
    return api::with_store(m_s.store, store::Durability::relaxed, [&](store::Connection& c) {
      auto found = reminders::TaskDesk(c, m_s.clock, config->reminders).due(*channel, *limit);
      if (!found) return from_error(found.error());
      json::array out;
      for (const auto& t : *found) out.push_back(task_json(t));
      return api::ok(json::object{{"tasks", std::move(out)}});
    });
  }

  http::Response outcome(const http::Request& req, std::int64_t id) {
    auto body = api::json_body(req);
    if (!body) return from_error(body.error());
    auto outcome_text = api::text_field(*body, "outcome");
    if (!outcome_text) return from_error(outcome_text.error());
    auto reason_text = api::text_field(*body, "reason", "");
    if (!reason_text) return from_error(reason_text.error());
    auto note = api::text_field(*body, "note", "");
    if (!note) return from_error(note.error());
    reminders::OutcomeForm form;
    auto o = reminders::parse_outcome(*outcome_text);
    if (!o)
      return api::error(400, "invalid_input",
                        "outcome: will_pay, paid, not_buyer, no_answer, offline, sent, replied, "
                        "wants_close, refused or angry, not \"" +
                            *outcome_text + "\"");
    auto reason = reminders::parse_reason(*reason_text);
    if (!reason)
      return api::error(
          400, "invalid_input",
          "reason: operation, price, comparing, other or empty, not \"" + *reason_text + "\"");
    form.outcome = *o;
    form.reason = *reason;
    form.note = *note;
    const auto config = m_s.live.get();
    return api::with_store(m_s.store, store::Durability::strict, [&](store::Connection& c) {
      reminders::TaskDesk desk(c, m_s.clock, config->reminders);
      if (auto r = desk.record(id, form, req.user); !r) return from_error(r.error());
      long long rid = 0;
      c.sql() << "SELECT reminder_id FROM reminder_attempts WHERE id = :i", soci::use(id),
          soci::into(rid);
      auto d = reminders::ReminderQueries(c).get(rid);
      if (!d) return from_error(d.error());
      return api::ok(reminder_detail_json(*d));
    });
  }

  http::Response buyers() {
    return api::with_store(m_s.store, store::Durability::relaxed, [&](store::Connection& c) {
      auto list = reminders::BuyerList(c, m_s.clock).list();
      if (!list) return from_error(list.error());
      json::array out;
      for (const auto& b : *list) out.push_back(buyer_json(b));
      return api::ok(json::object{{"buyers", std::move(out)}});
    });
  }

  http::Response set_buyer(const http::Request& req) {
    auto body = api::json_body(req);
    if (!body) return from_error(body.error());
    reminders::ListedBuyer b;
    auto shop = api::text_field(*body, "shop");
    if (!shop) return from_error(shop.error());
    auto nick = api::text_field(*body, "buyer_nick");
    if (!nick) return from_error(nick.error());
    auto note = api::text_field(*body, "note", "");
    if (!note) return from_error(note.error());
    auto sensitive = bool_field(*body, "sensitive", false);
    if (!sensitive) return from_error(sensitive.error());
    auto never = bool_field(*body, "never_again", false);
    if (!never) return from_error(never.error());
    b.shop = *shop;
    b.buyer_nick = *nick;
    b.note = *note;
    b.sensitive = *sensitive;
    b.never_again = *never;
    return api::with_store(m_s.store, store::Durability::strict, [&](store::Connection& c) {
      auto saved = reminders::BuyerList(c, m_s.clock).set(b, req.user);
      if (!saved) return from_error(saved.error());
      return api::ok(buyer_json(*saved));
    });
  }

  http::Response templates() {
    const auto config = m_s.live.get();
    return api::with_store(m_s.store, store::Durability::relaxed, [&](store::Connection& c) {
      reminders::TemplateStore store(c, m_s.clock);
      auto list = store.list();
      if (!list) return from_error(list.error());
      auto longest = store.longest_values();
      if (!longest) return from_error(longest.error());
      json::array out;
      for (const auto& t : *list) {
        auto o = template_json(t);
        if (t.channel == "sms") {
          const auto n = reminders::sms_characters(config->reminders.sms.sign_name,
                                                   reminders::fill(t.body, *longest));
          o["characters"] = n;
          o["parts"] = reminders::sms_parts(n);
          auto ok =
              reminders::check_sms_template(t.body, config->reminders.sms.sign_name, *longest);
          o["problem"] = ok ? json::value(nullptr) : json::value(ok.error().message);
        }
        out.push_back(std::move(o));
      }
      return api::ok(json::object{{"sms_template", config->reminders.sms.template_name},
                                  {"sign_name", config->reminders.sms.sign_name},
                                  {"templates", std::move(out)}});
    });
  }

  http::Response save_template(const http::Request& req, const std::string& name) {
    auto body = api::json_body(req);
    if (!body) return from_error(body.error());
    auto channel = api::text_field(*body, "channel");
    if (!channel) return from_error(channel.error());
    auto text = api::text_field(*body, "body");
    if (!text) return from_error(text.error());
    const auto config = m_s.live.get();
    return api::with_store(m_s.store, store::Durability::strict, [&](store::Connection& c) {
      auto saved = reminders::TemplateStore(c, m_s.clock)
                       .save(name, *channel, *text, config->reminders.sms.sign_name, req.user);
      if (!saved) return from_error(saved.error());
      return api::ok(template_json(*saved));
    });
  }

 private:
  static std::string param(const http::Request& req, const std::string& name,
                           std::string dflt = "") {
    auto it = req.query.find(name);
    return it == req.query.end() ? dflt : it->second;
  }
  static json::object buyer_json(const reminders::ListedBuyer& b) {
    return {{"shop", b.shop},
            {"buyer_nick", b.buyer_nick},
            {"sensitive", b.sensitive},
            {"never_again", b.never_again},
            {"note", b.note},
            {"updated_by", b.updated_by},
            {"updated_at", api::time_or_null(b.updated_at)}};
  }
  static json::object template_json(const reminders::SavedTemplate& t) {
    return {{"name", t.name},
            {"channel", t.channel},
            {"body", t.body},
            {"updated_by", t.updated_by},
            {"updated_at", api::time_or_null(t.updated_at)}};
  }
  Services& m_s;
};

}  // namespace

std::vector<api::Route> reminder_routes(Services& services) {
  auto r = std::make_shared<ReminderRoutes>(services);
  const api::Roles chasers =
      api::roles({api::StaffRole::customer_service, api::StaffRole::supervisor});
  const std::map<std::string, std::string> id{{"id", "reminder id"}};
  const std::map<std::string, std::string> task{{"id", "task id"}};
  std::vector<api::Route> out{
      {"GET", "/api/v1/reminders", "listReminders", chasers,
       [r](const auto& req, const auto&) { return r->list(req); }},
      {"GET", "/api/v1/reminders/{id}", "getReminder", chasers,
       [r](const auto&, const auto& p) { return r->get(p.id("id")); }, id},
      {"GET", "/api/v1/reminder-tasks", "listReminderTasks", chasers,
       [r](const auto& req, const auto&) { return r->tasks(req); }},
      {"POST", "/api/v1/reminder-tasks/{id}/outcome", "recordReminderOutcome", chasers,
       [r](const auto& req, const auto& p) { return r->outcome(req, p.id("id")); }, task},
      {"GET", "/api/v1/reminder-buyers", "listReminderBuyers", chasers,
       [r](const auto&, const auto&) { return r->buyers(); }},
      {"POST", "/api/v1/reminder-buyers", "setReminderBuyer", chasers,
       [r](const auto& req, const auto&) { return r->set_buyer(req); }},
      {"GET", "/api/v1/reminder-templates", "listReminderTemplates", chasers,
       [r](const auto&, const auto&) { return r->templates(); }},
      {"POST", "/api/v1/reminder-templates/{name}", "saveReminderTemplate", api::k_supervisors,
       [r](const auto& req, const auto& p) { return r->save_template(req, p.text("name")); }},
  };
  api::audit_calls(out, "recordReminderOutcome", "reminder.outcome");
  api::audit_calls(out, "setReminderBuyer", "reminder.buyer");
  api::audit_calls(out, "saveReminderTemplate", "reminder.template");
  return out;
}

}  // namespace fulfil::daemon
