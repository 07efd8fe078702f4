#include "capabilities/reminders/reminder_json.hpp"

#include <boost/json/array.hpp>

#include "api/api_util.hpp"

namespace fulfil::daemon {

namespace json = boost::json;
using api::money;
using api::text_or_null;
using api::time_or_null;

namespace {

json::value rate(std::optional<std::int64_t> bp) {
  if (!bp) return nullptr;
  return json::object{{"basis_points", *bp}, {"text", reminders::percent_text(bp)}};
}

std::optional<UnixSeconds> unless_zero(UnixSeconds t) {
  return t ? std::optional<UnixSeconds>(t) : std::nullopt;
}

}  // namespace

json::object reminder_json(const reminders::LedgerLine& r) {
  return {{"id", r.id},
          {"shop", r.shop},
          {"buyer_nick", r.buyer_nick},
          {"state", r.state},
          {"result", reminders::result_text(r.state)},
          {"staff", text_or_null(r.staff)},
          {"channel", text_or_null(r.channel)},
          {"reason", text_or_null(r.reason)},
          {"placed", time_or_null(r.placed)},
          {"reminded_at", time_or_null(unless_zero(r.reminded_at))},
          {"paid_at", time_or_null(r.paid_at)},
          {"unpaid", money(r.unpaid)},
          {"paid", money(r.paid)},
          {"recovered", money(r.recovered)},
          {"orders", r.orders},
          {"paid_orders", r.paid_orders},
          {"responded", r.responded}};
}

json::object reminder_detail_json(const reminders::ReminderDetail& d) {
  auto out = reminder_json(d.head);
  out["mobile"] = text_or_null(d.mobile);
  out["big"] = d.big;
  json::array tids, attempts, notes, writebacks;
  for (auto t : d.tids) tids.push_back(json::value(std::to_string(t)));
  for (const auto& a : d.attempts)
    attempts.push_back(json::object{{"id", a.id},
                                    {"channel", a.channel},
                                    {"state", a.state},
                                    {"key", a.idem_key},
                                    {"due_from", time_or_null(a.due_from)},
                                    {"due_until", time_or_null(a.due_until)},
                                    {"script", a.script},
                                    {"staff", text_or_null(a.staff)},
                                    {"outcome", text_or_null(a.outcome)},
                                    {"note", text_or_null(a.note)},
                                    {"tries", a.tries},
                                    {"cost", money(a.cost)},
                                    {"error", text_or_null(a.error)},
                                    {"done_at", time_or_null(a.done_at)}});
  for (const auto& [at, text] : d.notes)
    notes.push_back(json::object{{"at", time_or_null(at)}, {"text", text}});
  for (const auto& w : d.writebacks)
    writebacks.push_back(json::object{{"tid", std::to_string(w.tid)},
                                      {"kind", w.kind},
                                      {"memo", w.memo},
                                      {"flag", w.flag},
                                      {"state", w.state},
                                      {"error", text_or_null(w.error)}});
  out["tids"] = std::move(tids);
  out["attempts"] = std::move(attempts);
  out["notes"] = std::move(notes);
  out["writebacks"] = std::move(writebacks);
  return out;
}

json::object task_json(const reminders::Task& t) {
  json::array reasons;
  for (auto r : {reminders::Reason::operation, reminders::Reason::price,
                 reminders::Reason::comparing, reminders::Reason::other})
    reasons.push_back(json::object{{"reason", reminders::to_string(r)},
                                   {"response", reminders::suggested_response(r)}});
  return {{"id", t.id},
          {"reminder_id", t.reminder_id},
          {"channel", reminders::channel_key(t.channel)},
          {"shop", t.shop},
          {"buyer_nick", t.buyer_nick},
          {"mobile", text_or_null(t.mobile)},
          {"amount", money(t.amount)},
          {"orders", t.orders},
          {"big", t.big},
          {"placed", time_or_null(t.first_placed)},
          {"due_from", time_or_null(t.due_from)},
          {"due_until", time_or_null(t.due_until)},
          {"now_allowed", t.now_allowed},
          {"next_allowed", time_or_null(t.next_allowed)},
          {"script", t.script},
          {"reasons", std::move(reasons)}};
}

json::object summary_json(const reminders::DaySummary& s) {
  return {{"customers", s.customers},
          {"customers_paid", s.customers_paid},
          {"customers_responding", s.customers_responding},
          {"orders", s.orders},
          {"orders_paid", s.orders_paid},
          {"unpaid", money(s.unpaid)},
          {"recovered", money(s.recovered)},
          {"cost", money(s.cost)},
          {"success_rate", rate(s.success_rate())},
          {"order_rate", rate(s.order_rate())},
          {"response_rate", rate(s.response_rate())},
          {"roi", rate(s.roi())}};
}

}  // namespace fulfil::daemon
