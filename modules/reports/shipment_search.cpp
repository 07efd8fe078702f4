#include "reports/shipment_search.hpp"

#include <algorithm>

#include "common/digits.hpp"
#include "common/utf8.hpp"
#include "orders/serial.hpp"
#include "store/row_reader.hpp"

namespace fulfil::reports {

using store::get_int;
using store::get_text;

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return std::string(s);
}

void add_ids(soci::rowset<soci::row>& rows, std::vector<std::int64_t>& ids) {
  for (const auto& r : rows) {
    const auto id = get_int(r, 0);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
}

}  // namespace

Result<std::vector<FoundParcel>> ShipmentSearch::find(std::string_view raw, int limit) {
  auto located = locate(raw);
  if (!located) return std::unexpected(located.error());
  return store::guarded(
      [&] { return parcels(located->ids, located->matched_by, std::clamp(limit, 1, 200)); });
}

Result<ShipmentSearch::Located> ShipmentSearch::locate(std::string_view raw) {
  const std::string q = trimmed(raw);
  if (q.empty())
    return fail(ErrorKind::invalid_input,
                "q: say what to look for (a tid, a serial, a tracking number, a buyer nick, or "
                "a receiver's name and the last 4 digits of their phone)");
  if (q.size() > 200 || has_control(q, false))
    return fail(ErrorKind::invalid_input,
                "q: not something a buyer quotes: \"" + printable(q, 40) + "\"");
  return store::guarded(
      [&]() -> Result<Located> {
        std::vector<std::int64_t> ids;
        std::string by;
        auto lookup = [&](const char* sql, const std::string& value, const char* name) {
          if (!ids.empty()) return;
          soci::rowset<soci::row> rows = (m_conn.sql().prepare << sql, soci::use(value));
          add_ids(rows, ids);
          if (!ids.empty()) by = name;
        };
        if (auto number = parse_digits(q)) {
          const long long tid = *number;
          soci::rowset<soci::row> rows =
              (m_conn.sql().prepare << "SELECT parcel_id FROM parcel_trades WHERE tid = :t",
               soci::use(tid));
          add_ids(rows, ids);
          if (!ids.empty()) by = "tid";
        }
        if (auto serial = orders::parse_serial(q); serial && ids.empty()) {
          long long day = serial->yymmdd, seq = serial->seq;
          soci::rowset<soci::row> rows =
              (m_conn.sql().prepare
                   << "SELECT id FROM parcels WHERE serial_day = :d AND serial_seq = :s",
               soci::use(day), soci::use(seq));
          add_ids(rows, ids);
          if (!ids.empty()) by = "serial";
        }
        lookup("SELECT parcel_id FROM waybills WHERE waybill_no = :w ORDER BY id DESC", q,
               "waybill");
        // "李强 4321": a receiver's name and the end of their phone number.
        const auto space = q.find_last_of(' ');
        if (ids.empty() && space != std::string::npos && q.size() - space - 1 == 4 &&
            all_digits(q.substr(space + 1))) {
          const std::string name = trimmed(q.substr(0, space));
          const std::string tail = "%" + q.substr(space + 1);
          soci::rowset<soci::row> rows =
              (m_conn.sql().prepare
                   << "SELECT pt.parcel_id FROM trades t JOIN parcel_trades pt ON pt.tid = t.tid "
                      "WHERE t.receiver_name = :n AND (t.receiver_mobile LIKE :m OR "
                      "t.receiver_phone LIKE :p) ORDER BY pt.parcel_id DESC",
               soci::use(name), soci::use(tail), soci::use(tail));
          add_ids(rows, ids);
          if (!ids.empty()) by = "receiver";
        }
        lookup("SELECT id FROM parcels WHERE buyer_nick = :b ORDER BY id DESC", q, "buyer");
        return Located{std::move(ids), by};
      });
}

Result<std::vector<FoundParcel>> ShipmentSearch::parcels(const std::vector<std::int64_t>& ids,
                                                         const std::string& matched_by, int limit) {
  std::vector<FoundParcel> out;
  for (auto id : ids) {
    if (static_cast<int>(out.size()) >= limit) break;
    long long pid = id;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT id, serial_day, serial_seq, state, shop, buyer_nick, "
                                 "city FROM parcels WHERE id = :i",
         soci::use(pid));
    for (const auto& r : rows) {
      FoundParcel f;
      f.parcel_id = get_int(r, 0);
      f.serial = orders::Serial{static_cast<int>(get_int(r, 1)), get_int(r, 2)}.text();
      f.state = get_text(r, 3);
      f.shop = get_text(r, 4);
      f.buyer_nick = get_text(r, 5);
      f.city = get_text(r, 6);
      f.matched_by = matched_by;
      out.push_back(std::move(f));
    }
  }
  for (auto& f : out) {
    long long pid = f.parcel_id;
    soci::rowset<soci::row> tids =
        (m_conn.sql().prepare
             << "SELECT pt.tid, t.receiver_name FROM parcel_trades pt JOIN "
                "trades t ON t.tid = pt.tid WHERE pt.parcel_id = :p ORDER BY pt.tid",
         soci::use(pid));
    for (const auto& r : tids) {
      f.tids.push_back(std::to_string(get_int(r, 0)));
      if (f.receiver_name.empty()) f.receiver_name = get_text(r, 1);
    }
    soci::rowset<soci::row> waybill =
        (m_conn.sql().prepare << "SELECT courier, waybill_no FROM waybills WHERE parcel_id = :p "
                                 "AND waybill_no IS NOT NULL ORDER BY id DESC",
         soci::use(pid));
    for (const auto& r : waybill) {
      f.courier = get_text(r, 0);
      f.waybill_no = get_text(r, 1);
      break;
    }
  }
  return out;
}

}  // namespace fulfil::reports
