#include <boost/json/array.hpp>

#include <cmath>

#include "api/store_call.hpp"
#include "capabilities/reminders/reminder_json.hpp"
#include "capabilities/reminders/reminder_routes.hpp"
#include "common/timeutil.hpp"
#include "common/utf8.hpp"

namespace fulfil::daemon {

namespace json = boost::json;
using api::from_error;

namespace {

// A CSV field: quoted when it holds a comma, quote or line break; a leading = + - @ is
// prefixed with ' so Excel does not run it as a formula.
std::string csv_field(std::string v) {
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@')) v.insert(0, "'");
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string csv_line(std::initializer_list<std::string> fields) {
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ",") + csv_field(f);
  return out + "\r\n";
}

std::string param(const http::Request& req, const std::string& name) {
  auto it = req.query.find(name);
  return it == req.query.end() ? "" : it->second;
}

// [from, to) from the from= and to= days (Asia/Shanghai, to included): the last 7 days by
// default, at most 366.
Result<std::pair<UnixSeconds, UnixSeconds>> day_range(const http::Request& req, UnixSeconds now) {
  const UnixSeconds today = (now + k_shanghai_offset) / 86400 * 86400 - k_shanghai_offset;
  UnixSeconds from = today - 6 * 86400, to = today + 86400;
  for (const auto& [name, target, shift] :
       {std::tuple{std::string("from"), &from, 0}, std::tuple{std::string("to"), &to, 86400}}) {
    const auto text = param(req, name);
    if (text.empty()) continue;
    auto t = text.size() == 10 ? parse_iso(text) : fail(ErrorKind::invalid_input, "");
    if (!t)
      return fail(ErrorKind::invalid_input, name + ": a day like 2026-11-11, not \"" + text + "\"");
    *target = *t + shift;
  }
  if (to <= from || to - from > 366 * 86400)
    return fail(ErrorKind::invalid_input, "from..to: 1 to 366 days, from not after to");
  return std::pair{from, to};
}

// The answer as CSV for Excel: GB18030 (what Chinese Excel opens by default) or UTF-8 with
// a byte-order mark.
Result<http::Response> csv_answer(const std::string& utf8, const std::string& encoding,
                                  const std::string& file) {
  http::Response res;
  if (encoding == "gb18030") {
    auto gb = utf8_to_gb18030(utf8);
    if (!gb) return std::unexpected(gb.error());
    res.body = std::move(*gb);
    res.content_type = "text/csv; charset=GB18030";
  } else {
    res.body = "\xEF\xBB\xBF" + utf8;
    res.content_type = "text/csv; charset=utf-8";
  }
  res.headers["Content-Disposition"] = "attachment; filename=\"" + file + "\"";
  return res;
}

// What a report asks for: its days, json or csv, and the CSV's encoding.
struct ReportQuery {
  std::pair<UnixSeconds, UnixSeconds> range;
  std::string format, encoding;
};

Result<ReportQuery> report_query(const http::Request& req, UnixSeconds now) {
  auto range = day_range(req, now);
  if (!range) return std::unexpected(range.error());
  ReportQuery q{*range, param(req, "format"), param(req, "encoding")};
  if (q.format.empty()) q.format = "json";
  if (q.encoding.empty()) q.encoding = "gb18030";
  if (q.format != "json" && q.format != "csv")
    return fail(ErrorKind::invalid_input, "format: json or csv, not \"" + q.format + "\"");
  if (q.encoding != "gb18030" && q.encoding != "utf-8")
    return fail(ErrorKind::invalid_input, "encoding: gb18030 or utf-8, not \"" + q.encoding + "\"");
  return q;
}

std::string yuan(Fen f) {
  return format_yuan(f);
}

std::string summary_csv_cells(const reminders::DaySummary& s) {
  return csv_field(std::to_string(s.customers)) + "," +
         csv_field(std::to_string(s.customers_paid)) + "," + csv_field(std::to_string(s.orders)) +
         "," + csv_field(std::to_string(s.orders_paid)) + "," + yuan(s.unpaid) + "," +
         yuan(s.recovered) + "," + reminders::percent_text(s.success_rate()) + "," +
         reminders::percent_text(s.order_rate()) + "," + std::to_string(s.customers_responding) +
         "," + reminders::percent_text(s.response_rate()) + "," + yuan(s.cost);
}

class ReportRoutes {
 public:
  explicit ReportRoutes(Services& s) : m_s(s) {}

  http::Response summary(const http::Request& req) {
    if (auto refused = api::unknown_parameter(req, {"from", "to", "format", "encoding"}))
      return *refused;
    auto q = report_query(req, m_s.clock.now());
    if (!q) return from_error(q.error());
    const auto& [range, format, encoding] = *q;
    const auto config = m_s.live.get();
    return api::with_store(m_s.store, store::Durability::relaxed, [&](store::Connection& c) {
      auto report = reminders::Ledger(c, config->reminders).report(range.first, range.second);
      if (!report) return from_error(report.error());
      if (format == "csv") {
        std::string out = csv_line({"日期", "处理人员", "催款数", "回单数", "催款订单数",
                                    "付款订单数", "未付款总金额", "追回金额", "成功率", "订单比例",
                                    "回复客户数", "回复比例", "成本"});
        for (const auto& [day, s] : report->days)
          out += csv_field(day) + ",全部," + summary_csv_cells(s) + "\r\n";
        for (const auto& [day, staff, s] : report->days_staff)
          out += csv_field(day) + "," + csv_field(staff == "sms" ? "短信群发" : staff) + "," +
                 summary_csv_cells(s) + "\r\n";
        auto res = csv_answer(out, encoding, "催款汇总表.csv");
        return res ? *res : from_error(res.error());
      }
      json::array days, staff, channels, reasons;
      for (const auto& [day, s] : report->days) {
        auto o = summary_json(s);
        o["day"] = day;
        days.push_back(std::move(o));
      }
      for (const auto& [day, who, s] : report->days_staff) {
        auto o = summary_json(s);
        o["day"] = day;
        o["staff"] = who;
        staff.push_back(std::move(o));
      }
      for (const auto& ch : report->channels) {
        const auto roi = ch.roi();
        channels.push_back(json::object{
            {"channel", ch.channel},
            {"attempts", ch.attempts},
            {"reminders_credited", ch.reminders_credited},
            {"cost", api::money(ch.cost)},
            {"recovered", api::money(ch.recovered)},
            {"roi", roi ? json::value(json::object{{"basis_points", *roi},
                                                   {"text", reminders::percent_text(roi)}})
                        : json::value(nullptr)}});
      }
      for (const auto& [reason, n] : report->reasons)
        reasons.push_back(json::object{{"reason", reason}, {"reminders", n}});
      return api::ok(json::object{{"from", api::time_or_null(range.first)},
                                  {"to", api::time_or_null(range.second)},
                                  {"total", summary_json(report->total)},
                                  {"days", std::move(days)},
                                  {"staff", std::move(staff)},
                                  {"channels", std::move(channels)},
                                  {"reasons", std::move(reasons)}});
    });
  }

  http::Response ledger(const http::Request& req) {
    if (auto refused = api::unknown_parameter(req, {"from", "to", "format", "encoding", "limit"}))
      return *refused;
    auto q = report_query(req, m_s.clock.now());
    if (!q) return from_error(q.error());
    const auto& [range, format, encoding] = *q;
    auto limit = api::limit_param(req, 1000, 100000);
    if (!limit) return from_error(limit.error());
    const auto config = m_s.live.get();
    return api::with_store(m_s.store, store::Durability::relaxed, [&](store::Connection& c) {
      auto lines = reminders::Ledger(c, config->reminders).lines(range.first, range.second, *limit);
      if (!lines) return from_error(lines.error());
      if (format == "csv") {
        std::string out =
            csv_line({"催款日期", "拍下日期", "店铺", "客户ID", "订单未付款额", "联系结果",
                      "是否付款", "付款日期", "付款金额", "追回金额", "处理人员", "原因"});
        for (const auto& l : *lines)
          out += csv_line({format_gmt8(l.reminded_at), format_gmt8(l.placed), l.shop, l.buyer_nick,
                           yuan(l.unpaid), std::string(reminders::result_text(l.state)),
                           l.paid > 0 ? "是" : "否", l.paid_at ? format_gmt8(*l.paid_at) : "",
                           l.paid > 0 ? yuan(l.paid) : "", l.recovered > 0 ? yuan(l.recovered) : "",
                           l.staff == "sms" ? "短信群发" : l.staff, l.reason});
        auto res = csv_answer(out, encoding, "催款明细表.csv");
        return res ? *res : from_error(res.error());
      }
      json::array out;
      for (const auto& l : *lines) out.push_back(reminder_json(l));
      return api::ok(json::object{{"from", api::time_or_null(range.first)},
                                  {"to", api::time_or_null(range.second)},
                                  {"lines", std::move(out)}});
    });
  }

  // Domain §4: reminder staff = orders × unpaid rate ÷ 300 a person a day; packers =
  // orders ÷ what one packer packs a day. Orders and the unpaid rate default to the last 30
  // days' (a Double-11 day is about the daily average × 3 × 0.8).
  http::Response planning(const http::Request& req) {
    if (auto refused =
            api::unknown_parameter(req, {"orders", "unpaid_percent", "per_reminder", "per_packer"}))
      return *refused;
    auto orders = api::int_param(req, "orders", -1, 0, 10'000'000);
    if (!orders) return from_error(orders.error());
    auto unpaid = api::int_param(req, "unpaid_percent", -1, 0, 100);
    if (!unpaid) return from_error(unpaid.error());
    auto per_reminder = api::int_param(req, "per_reminder", 300, 1, 10'000);
    if (!per_reminder) return from_error(per_reminder.error());
    auto per_packer = api::int_param(req, "per_packer", 400, 1, 10'000);
    if (!per_packer) return from_error(per_packer.error());
    return api::with_store(m_s.store, store::Durability::relaxed, [&](store::Connection& c) {
      long long all = 0, unpaid_count = 0, since = m_s.clock.now() - 30LL * 86400;
      try {
        c.sql() << "SELECT COUNT(*), COALESCE(SUM(CASE WHEN pay_time IS NULL THEN 1 ELSE 0 "
                   "END), 0) FROM trades WHERE created > :s",
            soci::use(since), soci::into(all), soci::into(unpaid_count);
      } catch (const std::exception& e) {
        return from_error({ErrorKind::storage, e.what()});
      }
      const double daily = static_cast<double>(all) / 30.0;
      const double expected = *orders >= 0 ? *orders : std::round(daily);
      const double rate = *unpaid >= 0 ? *unpaid / 100.0
                          : all > 0 ? static_cast<double>(unpaid_count) / static_cast<double>(all)
                                    : 0.15;
      const double reminder_staff = expected * rate / *per_reminder;
      const double packers = expected / *per_packer;
      return api::ok(json::object{
          {"orders", expected},
          {"orders_source", *orders >= 0 ? "given" : "daily average of the last 30 days"},
          {"unpaid_rate", std::round(rate * 10000) / 10000},
          {"unpaid_rate_source", *unpaid >= 0 ? "given"
                                 : all > 0    ? "measured over the last 30 days"
                                              : "default (no trades yet)"},
          {"daily_average", std::round(daily)},
          {"double11_orders", std::round(daily * 3 * 0.8)},
          {"per_reminder", *per_reminder},
          {"per_packer", *per_packer},
          {"reminder_staff", std::round(reminder_staff * 100) / 100},
          {"reminder_staff_needed", static_cast<std::int64_t>(std::ceil(reminder_staff))},
          {"packers", std::round(packers * 100) / 100},
          {"packers_needed", static_cast<std::int64_t>(std::ceil(packers))}});
    });
  }

 private:
  Services& m_s;
};

}  // namespace

std::vector<api::Route> reminder_report_routes(Services& services) {
  auto r = std::make_shared<ReportRoutes>(services);
  return {
      {"GET", "/api/v1/reports/reminders", "reminderSummary", api::k_supervisors,
       [r](const auto& req, const auto&) { return r->summary(req); }},
      {"GET", "/api/v1/reports/reminder-ledger", "reminderLedger", api::k_supervisors,
       [r](const auto& req, const auto&) { return r->ledger(req); }},
      {"GET", "/api/v1/planning", "planStaff", api::k_supervisors,
       [r](const auto& req, const auto&) { return r->planning(req); }},
  };
}

}  // namespace fulfil::daemon
