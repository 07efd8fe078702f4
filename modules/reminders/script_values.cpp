#include "reminders/script_values.hpp"

#include <cstdio>

#include "common/money.hpp"
#include "common/timeutil.hpp"
#include "common/utf8.hpp"
#include "store/row_reader.hpp"

namespace fulfil::reminders {

std::string short_product(std::string_view title) {
  const auto cps = code_points(title);
  if (cps.size() <= 20) return std::string(title);
  std::string out;
  for (std::size_t i = 0; i < 20; ++i) append_utf8(out, cps[i]);
  return out;
}

Values values_of(const ChasedOrder& r, UnixSeconds now, const ReminderSettings& s) {
  const auto t = timing_for(s, r.shop);
  const std::string when = format_gmt8(r.first_placed);  // "2026-11-11 10:05:00"
  char placed[64];
  std::snprintf(placed, sizeof placed, "%d月%d日 %s", std::atoi(when.substr(5, 2).c_str()),
                std::atoi(when.substr(8, 2).c_str()), when.substr(11, 5).c_str());
  std::string tids;
  for (auto id : r.tids) tids += (tids.empty() ? "" : "、") + std::to_string(id);
  const UnixSeconds left = close_time(r.first_placed, t) - now;
  const auto days = std::max<std::int64_t>(1, (left + 86399) / 86400);
  return {{"顾客姓名", r.receiver_name.empty() ? r.buyer_nick : r.receiver_name},
          {"下单时间", placed},
          {"订单ID", tids},
          {"店铺名称", r.shop},
          {"商品名称", short_product(r.product)},
          {"剩余天数", std::to_string(days)},
          {"金额", format_yuan(r.amount)},
          {"折扣", std::to_string(s.discount_percent) + "%"}};
}

Result<ChasedOrder> load_facts(store::Connection& c, std::int64_t id) {
  return store::guarded([&]() -> Result<ChasedOrder> {
    ChasedOrder out;
    long long rid = id;
    soci::rowset<soci::row> head =
        (c.sql().prepare
             << "SELECT shop, buyer_nick, first_placed, amount FROM reminders WHERE id = :i",
         soci::use(rid));
    bool found = false;
    for (const auto& r : head) {
      found = true;
      out.shop = store::get_text(r, 0);
      out.buyer_nick = store::get_text(r, 1);
      out.first_placed = store::get_int(r, 2);
      out.amount = store::get_int(r, 3);
    }
    if (!found) return fail(ErrorKind::not_found, "no reminder " + std::to_string(id));
    if (auto r = load_trades(c, id, out); !r) return std::unexpected(r.error());
    return out;
  });
}

Result<void> load_trades(store::Connection& c, std::int64_t id, ChasedOrder& out) {
  std::map<std::int64_t, ChasedOrder> one;
  auto r = load_trades_of(c, std::to_string(id), one);
  if (!r) return r;
  auto& f = one[id];
  out.tids = std::move(f.tids);
  out.receiver_name = std::move(f.receiver_name);
  out.product = std::move(f.product);
  return {};
}

Result<void> load_trades_of(store::Connection& c, const std::string& ids,
                            std::map<std::int64_t, ChasedOrder>& facts) {
  return store::guarded([&]() -> Result<void> {
    soci::rowset<soci::row> trades =
        (c.sql().prepare << "SELECT rt.reminder_id, t.tid, t.receiver_name, (SELECT l.title FROM "
                            "trade_lines l WHERE l.tid = t.tid ORDER BY l.oid LIMIT 1) FROM "
                            "reminder_trades rt JOIN trades t ON t.tid = rt.tid WHERE "
                            "rt.reminder_id IN (" +
                                ids + ") ORDER BY rt.reminder_id, t.created, t.tid");
    for (const auto& r : trades) {
      auto& out = facts[store::get_int(r, 0)];
      out.tids.push_back(store::get_int(r, 1));
      if (out.receiver_name.empty()) out.receiver_name = store::get_text(r, 2);
      if (out.product.empty()) out.product = store::get_text(r, 3);
    }
    return {};
  });
}

}  // namespace fulfil::reminders
