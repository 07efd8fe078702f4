#include "capabilities/aftersale/return_routes.hpp"

#include <boost/json/array.hpp>

#include "aftersale/outbox.hpp"
#include "aftersale/return_service.hpp"
#include "api/api_util.hpp"
#include "common/log.hpp"
#include "common/timeutil.hpp"

namespace fulfil::daemon::api {

namespace json = boost::json;
using aftersale::ReturnRecord;

namespace {

json::object line_json(const aftersale::ReturnLine& l) {
  json::object o{{"line_no", l.line_no},
                 {"oid", std::to_string(l.oid)},
                 {"tid", std::to_string(l.tid)},
                 {"sku", l.sku},
                 {"title", l.title},
                 {"action", aftersale::to_string(l.action)},
                 {"quantity", l.quantity},
                 {"paid", money(l.paid)},
                 {"reason_code", l.reason_code},
                 {"reason", l.reason}};
  if (l.action == aftersale::LineAction::exchange) {
    o["new_sku"] = l.new_sku;
    o["colour"] = l.colour;
    o["size"] = l.size;
    o["new_unit_price"] = l.new_unit_price ? json::value(money(*l.new_unit_price)) : nullptr;
  }
  return o;
}

}  // namespace

json::object return_json(const ReturnRecord& r) {
  json::array lines, slips;
  for (const auto& l : r.lines) lines.push_back(line_json(l));
  for (const auto& s : r.slip_ids) slips.push_back(json::value(s));
  json::object o{{"id", r.id},
                 {"state", r.state},
                 {"scanned", r.scanned},
                 {"courier", r.courier},
                 {"waybill_no", r.waybill_no},
                 {"parcel_id", r.parcel_id ? json::value(*r.parcel_id) : nullptr},
                 {"tid", r.tid ? json::value(std::to_string(*r.tid)) : nullptr},
                 {"shop", text_or_null(r.shop)},
                 {"buyer_nick", text_or_null(r.buyer_nick)},
                 {"outbound_waybill", text_or_null(r.outbound_waybill)},
                 {"condition", aftersale::to_string(r.condition)},
                 {"note", r.note},
                 {"received_by", r.received_by},
                 {"received_at", format_iso_shanghai(r.received_at)},
                 {"matched_by", text_or_null(r.matched_by)},
                 {"matched_at", time_or_null(r.matched_at)},
                 {"lines", std::move(lines)},
                 {"slips", std::move(slips)}};
  if (r.exchange)
    o["exchange"] = json::object{
        {"tid", std::to_string(r.exchange->tid)},
        {"price_difference", money(r.exchange->price_difference)},
        {"prices_known", r.exchange->prices_known},
        {"check", !r.exchange->prices_known || r.exchange->price_difference != 0},
        {"parcel_id", r.exchange->parcel_id ? json::value(*r.exchange->parcel_id) : nullptr},
        {"parcel_state", text_or_null(r.exchange->parcel_state)}};
  else
    o["exchange"] = nullptr;
  return o;
}

Result<aftersale::CheckIn> read_check_in(const json::object& b, const std::string& user) {
  aftersale::CheckIn c;
  auto code = text_field(b, "code");
  if (!code) return std::unexpected(code.error());
  c.code = *code;
  auto courier = text_field(b, "courier", "");
  auto number = text_field(b, "waybill_no", "");
  auto note = text_field(b, "note", "");
  auto key = text_field(b, "request_key", "");
  auto condition = text_field(b, "condition", "fine");
  for (auto* r : {&courier, &number, &note, &key, &condition})
    if (!*r) return std::unexpected(r->error());
  c.courier = *courier;
  c.waybill_no = *number;
  c.note = *note;
  c.request_key = *key;
  auto cond = aftersale::parse_condition(*condition);
  if (!cond)
    return fail(ErrorKind::invalid_input,
                "condition: expected fine, damaged, parts_missing or wrong_item, got \"" +
                    condition->substr(0, 40) + "\"");
  c.condition = *cond;
  c.condition_given = b.contains("condition");
  if (const auto* u = b.if_contains("unidentified")) {
    if (!u->is_bool())
      return fail(ErrorKind::invalid_input, "unidentified: expected true or false");
    c.unidentified = u->as_bool();
  }
  c.user = user;
  if (const auto* ls = b.if_contains("lines")) {
    if (!ls->is_array()) return fail(ErrorKind::invalid_input, "lines: expected an array");
    const auto& arr = ls->as_array();
    for (std::size_t i = 0; i < arr.size(); ++i) {
      const std::string at = "lines[" + std::to_string(i) + "]";
      if (!arr[i].is_object()) return fail(ErrorKind::invalid_input, at + ": expected an object");
      const auto& o = arr[i].as_object();
      auto named = [&](const Error& e) { return Error{e.kind, at + "." + e.message}; };
      aftersale::FormLine f;
      if (o.contains("oid")) {
        // A 19-digit oid may come as text (JavaScript cannot hold it as a number).
        const auto& v = o.at("oid");
        auto oid = v.is_string() ? parse_id(v.as_string(), "oid") : int_field(o, "oid");
        if (!oid) return std::unexpected(named(oid.error()));
        f.oid = *oid;
      }
      auto sku = text_field(o, "sku", "");
      auto action = text_field(o, "action", "return");
      auto qty = int_field(o, "quantity");
      auto reason_code = int_field(o, "reason_code");
      auto reason = text_field(o, "reason", "");
      auto new_sku = text_field(o, "new_sku", "");
      auto colour = text_field(o, "colour", "");
      auto size = text_field(o, "size", "");
      for (auto* r : {&sku, &action, &reason, &new_sku, &colour, &size})
        if (!*r) return std::unexpected(named(r->error()));
      for (auto* r : {&qty, &reason_code})
        if (!*r) return std::unexpected(named(r->error()));
      auto a = aftersale::parse_action(*action);
      if (!a) return fail(ErrorKind::invalid_input, at + ".action: expected return or exchange");
      f.sku = *sku;
      f.action = *a;
      f.quantity = static_cast<int>(std::clamp<std::int64_t>(*qty, -1, 1'000'000));
      f.reason_code = static_cast<int>(std::clamp<std::int64_t>(*reason_code, -1, 100));
      f.reason = *reason;
      f.new_sku = *new_sku;
      f.colour = *colour;
      f.size = *size;
      if (o.contains("new_unit_price_fen")) {
        auto p = int_field(o, "new_unit_price_fen");
        if (!p) return std::unexpected(named(p.error()));
        f.new_unit_price = *p;
      }
      c.lines.push_back(std::move(f));
    }
  }
  return c;
}

std::vector<Route> ReturnRoutes::routes() {
  const std::map<std::string, std::string> return_id{{"id", "return id"}};
  return {
      {"GET", "/api/v1/aftersale/outbox", "getAftersaleOutbox", k_any_staff,
       [this](const auto&, const auto&) {
         bool degraded = false;
         return ok(health(degraded));
       }},
      // A check-in and a match are recorded with the logged-in person's name (the slip
      // carries it).
      {"POST", "/api/v1/returns", "checkInReturn",
       roles({StaffRole::packer, StaffRole::customer_service, StaffRole::supervisor}),
       [this](const auto& req, const auto&) { return check_in(req); }},
      {"GET", "/api/v1/returns", "listReturns", k_any_staff,
       [this](const auto& req, const auto&) { return list(req); }},
      {"GET", "/api/v1/returns/scan/{code}", "scanReturn", k_any_staff,
       [this](const auto&, const auto& p) { return scan(p.text("code")); }},
      {"GET", "/api/v1/returns/{id}", "getReturn", k_any_staff,
       [this](const auto&, const auto& p) { return get(p.id("id")); }, return_id},
      {"POST", "/api/v1/returns/{id}/match", "matchReturn",
       roles({StaffRole::customer_service, StaffRole::supervisor}),
       [this](const auto& req, const auto& p) { return match(p.id("id"), req); }, return_id},
  };
}

http::Response ReturnRoutes::scan(const std::string& code) {
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto ctx = m_source();
  auto s = aftersale::ReturnService(**conn, m_clock, ctx.settings->returns).scan(code);
  if (!s) return from_error(s.error());
  json::array lines, earlier;
  for (const auto& l : s->lines)
    lines.push_back({{"oid", std::to_string(l.line.oid)},
                     {"tid", std::to_string(l.tid)},
                     {"sku", l.line.outer_sku_id},
                     {"title", l.line.title},
                     {"spec", l.line.sku_properties},
                     {"quantity", l.line.num},
                     {"returned_before", l.returned_before},
                     {"payment", money(l.line.payment)}});
  for (auto id : s->earlier_returns) earlier.push_back(id);
  return ok(json::object{{"parcel_id", s->parcel_id},
                         {"parcel_state", s->parcel_state},
                         {"shop", s->shop},
                         {"buyer_nick", s->buyer_nick},
                         {"outbound_waybill", text_or_null(s->outbound_waybill)},
                         {"lines", std::move(lines)},
                         {"earlier_returns", std::move(earlier)}});
}

std::expected<aftersale::CheckIn, http::Response> ReturnRoutes::staff_form(
    const http::Request& req) {
  auto body = json_body(req);
  if (!body) return std::unexpected(from_error(body.error()));
  auto c = read_check_in(*body, req.user);
  if (!c) return std::unexpected(from_error(c.error()));
  return std::move(*c);
}

http::Response ReturnRoutes::check_in(const http::Request& req) {
  auto c = staff_form(req);
  if (!c) return std::move(c.error());
  auto conn = m_store.local(store::Durability::strict);
  if (!conn) return from_error(conn.error());
  auto ctx = m_source();
  auto r = aftersale::ReturnService(**conn, m_clock, ctx.settings->returns).check_in(*c);
  if (!r) {
    log::warn("return check-in refused",
              {{"code", c->code.substr(0, 40)}, {"user", req.user}, {"error", r.error().message}});
    if (r.error().kind == ErrorKind::storage) m_store.reset_local();
    return from_error(r.error());
  }
  log::info("return checked in", {{"return", r->id},
                                  {"state", r->state},
                                  {"code", r->scanned},
                                  {"slip", r->slip_ids.empty() ? "" : r->slip_ids.back()}});
  auto out = ok(return_json(*r));
  out.status = 201;
  return out;
}

http::Response ReturnRoutes::list(const http::Request& req) {
  aftersale::ReturnFilter f;
  auto q = [&](const char* k) {
    auto it = req.query.find(k);
    return it == req.query.end() ? std::string() : it->second;
  };
  f.state = q("state");
  if (!f.state.empty() && f.state != "identified" && f.state != "unidentified")
    return error(400, "bad_request", "state: expected identified or unidentified");
  f.courier = q("courier");
  f.waybill_no = q("waybill_no");
  for (const auto* t : {&f.courier, &f.waybill_no})
    if (t->size() > 40 || t->find_first_of("'\\;") != std::string::npos)
      return error(400, "bad_request", "courier and waybill_no: letters, digits and '-' only");
  if (auto t = q("tid"); !t.empty()) {
    auto tid = parse_id(t, "tid");
    if (!tid) return from_error(tid.error());
    f.tid = *tid;
  }
  if (auto b = q("before_id"); !b.empty()) {
    auto id = parse_id(b, "before_id");
    if (!id) return from_error(id.error());
    f.before_id = *id;
  }
  auto limit = limit_param(req, 50, 200);
  if (!limit) return from_error(limit.error());
  f.limit = *limit;
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto ctx = m_source();
  auto rows = aftersale::ReturnService(**conn, m_clock, ctx.settings->returns).list(f);
  if (!rows) return from_error(rows.error());
  json::array out;
  for (const auto& r : *rows) out.push_back(return_json(r));
  json::object page{{"returns", std::move(out)}};
  if (static_cast<int>(rows->size()) == f.limit) page["next_before_id"] = rows->back().id;
  return ok(page);
}

http::Response ReturnRoutes::get(std::int64_t id) {
  auto conn = m_store.local(store::Durability::relaxed);
  if (!conn) return from_error(conn.error());
  auto ctx = m_source();
  auto r = aftersale::ReturnService(**conn, m_clock, ctx.settings->returns).get(id);
  if (!r) return from_error(r.error());
  if (!*r) return error(404, "not_found", "no return " + std::to_string(id));
  return ok(return_json(**r));
}

http::Response ReturnRoutes::match(std::int64_t id, const http::Request& req) {
  auto c = staff_form(req);
  if (!c) return std::move(c.error());
  auto conn = m_store.local(store::Durability::strict);
  if (!conn) return from_error(conn.error());
  auto ctx = m_source();
  auto r = aftersale::ReturnService(**conn, m_clock, ctx.settings->returns).match(id, *c);
  if (!r) {
    if (r.error().kind == ErrorKind::storage) m_store.reset_local();
    return from_error(r.error());
  }
  log::info("return matched",
            {{"return", r->id}, {"user", req.user}, {"slip", r->slip_ids.back()}});
  return ok(return_json(*r));
}

json::object ReturnRoutes::health(bool& degraded) {
  json::object o;
  auto conn = m_store.local(store::Durability::relaxed);
  if (conn) {
    if (auto b = aftersale::Outbox(**conn).backlog()) {
      o["backlog"] = b->pending;
      o["oldest_pending"] = time_or_null(b->oldest_pending);
    } else {
      o["store_error"] = b.error().message;
    }
  }
  auto ctx = m_source();
  auto ch = ctx.channel ? ctx.channel() : std::nullopt;
  if (!ch) {
    o["channel"] = nullptr;
    return o;
  }
  o["channel"] = json::object{{"endpoint", ch->endpoint},
                              {"sending", ch->sending},
                              {"connected", ch->connected},
                              {"last_ack_at", time_or_null(ch->last_ack_at)},
                              {"connected_since", time_or_null(ch->connected_since)},
                              {"disconnected_since", time_or_null(ch->disconnected_since)},
                              {"in_flight", ch->in_flight},
                              {"sent", ch->sent},
                              {"resent", ch->resent},
                              {"acked", ch->acked},
                              {"unknown_acks", ch->unknown_acks},
                              {"bad_messages", ch->bad_messages},
                              {"auth_failures", ch->auth_failures}};
  // Slips waiting while this instance sends and no peer is there.
  if (ch->sending && !ch->connected && o.contains("backlog") && o["backlog"].as_int64() > 0)
    degraded = true;
  return o;
}

}  // namespace fulfil::daemon::api
