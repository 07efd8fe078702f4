#include "aftersale/return_service.hpp"

#include <algorithm>
#include <set>

#include "aftersale/exchange.hpp"
#include "aftersale/return_writes.hpp"
#include "aftersale/slip.hpp"
#include "common/digits.hpp"
#include "common/log.hpp"
#include "review/parcel_rows.hpp"
#include "review/stock.hpp"
#include "store/filtered_select.hpp"
#include "store/id_counter.hpp"
#include "store/order_queries.hpp"
#include "store/order_repository.hpp"
#include "store/row_reader.hpp"

namespace fulfil::aftersale {

using store::get_int;
using store::get_opt_int;
using store::get_text;

struct ReturnService::Found {
  std::int64_t parcel_id = 0;
  std::string state, shop, buyer_nick, outbound_waybill;
  std::string courier;  // of a return shipment customer service recorded
};

namespace {

constexpr std::string_view k_columns =
    "id, state, scanned, courier, waybill_no, parcel_id, tid, shop, buyer_nick, item_condition, "
    "note, received_by, received_at, matched_by, matched_at";

store::FilteredSelect returns() {
  return store::FilteredSelect("SELECT " + std::string(k_columns) + " FROM returns");
}

std::optional<std::int64_t> form_code(const std::string& code) {
  if (code.size() < 2 || code.size() > 20 || code[0] != 'R') return std::nullopt;
  auto id = parse_digits(std::string_view(code).substr(1));  // 19 nines is no parcel either
  if (!id) return std::nullopt;
  return *id;
}

Result<void> check_scanned(const std::string& code) {
  if (code.empty() || code.size() > 40 ||
      code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") !=
          std::string::npos)
    return fail(ErrorKind::invalid_input,
                "code: expected a tracking number or the form's barcode (up to 40 letters, digits "
                "or '-'), got \"" +
                    code.substr(0, 60) + "\"");
  return {};
}

Result<void> check_code(const CheckIn& c) {
  if (auto ok = check_scanned(c.code); !ok) return ok;
  if (c.courier.size() > 16) return fail(ErrorKind::invalid_input, "courier: too long");
  if (c.waybill_no.size() > 40) return fail(ErrorKind::invalid_input, "waybill_no: too long");
  if (c.note.size() > 2000) return fail(ErrorKind::invalid_input, "note: at most 2000 bytes");
  if (c.user.empty()) return fail(ErrorKind::invalid_input, "user: say who checked it in");
  if (c.lines.size() > 100) return fail(ErrorKind::invalid_input, "lines: at most 100");
  return {};
}

// The platform's latest unit price of each SKU (exchanges priced without staff input).
std::map<std::string, Fen> known_prices(store::Connection& conn,
                                        const std::set<std::string>& skus) {
  std::map<std::string, Fen> out;
  for (const auto& sku : skus) {
    long long price = 0, below = orders::k_exchange_tid_base;
    soci::indicator ind = soci::i_null;
    conn.sql() << "SELECT price FROM trade_lines WHERE outer_sku_id = :s AND oid < :b ORDER BY "
                  "oid DESC LIMIT 1",
        soci::use(sku), soci::use(below), soci::into(price, ind);
    if (conn.sql().got_data() && ind == soci::i_ok) out[sku] = price;
  }
  return out;
}

}  // namespace

std::map<std::string, ReturnService::Found> ReturnService::find(
    std::span<const std::string> codes) {
  // Which parcel each code names: the form's R-code, else an issued outbound waybill, else a
  // return number customer service recorded (first recorded wins).
  std::map<std::string, std::int64_t> parcel_of;
  std::map<std::string, std::string> courier_of;
  std::vector<std::string> numbers;
  for (const auto& code : codes) {
    if (auto p = form_code(code))
      parcel_of[code] = *p;
    else
      numbers.push_back(code);
  }
  constexpr std::size_t k_chunk = 500;  // bound parameters per statement
  for (std::size_t at = 0; at < numbers.size(); at += k_chunk) {
    const auto chunk = std::span(numbers).subspan(at, std::min(k_chunk, numbers.size() - at));
    store::FilteredSelect("SELECT waybill_no, parcel_id FROM waybills")
        .equals("state", "issued")
        .one_of("waybill_no", chunk)
        .each(m_conn.sql(), "ORDER BY id",
              [&](const soci::row& r) { parcel_of.emplace(get_text(r, 0), get_int(r, 1)); });
    std::vector<std::string> rest;
    for (const auto& n : chunk)
      if (!parcel_of.contains(n)) rest.push_back(n);
    if (rest.empty()) continue;
    store::FilteredSelect(
        "SELECT s.waybill_no, s.courier, t.parcel_id FROM shipments s JOIN parcel_trades t ON "
        "t.tid = s.tid")
        .equals("s.kind", "return")
        .one_of("s.waybill_no", rest)
        .each(m_conn.sql(), "ORDER BY s.id", [&](const soci::row& r) {
          if (parcel_of.emplace(get_text(r, 0), get_int(r, 2)).second)
            courier_of[get_text(r, 0)] = get_text(r, 1);
        });
  }
  std::map<std::string, Found> out;
  if (parcel_of.empty()) return out;
  std::vector<std::int64_t> ids;
  for (const auto& [code, id] : parcel_of) ids.push_back(id);
  const std::string in = store::id_list(ids);
  std::map<std::int64_t, Found> parcels;
  soci::rowset<soci::row> rows =
      (m_conn.sql().prepare << "SELECT id, state, shop, buyer_nick FROM parcels WHERE id IN (" +
                                   in + ")");
  for (const auto& r : rows)
    parcels[get_int(r, 0)] =
        Found{get_int(r, 0), get_text(r, 1), get_text(r, 2), get_text(r, 3), {}, {}};
  soci::rowset<soci::row> outbound =
      (m_conn.sql().prepare << "SELECT parcel_id, waybill_no FROM waybills WHERE state = "
                               "'issued' AND parcel_id IN (" +
                                   in + ") ORDER BY id DESC");
  // Newest first, so the oldest issued waybill is the one kept.
  for (const auto& r : outbound)
    if (auto it = parcels.find(get_int(r, 0)); it != parcels.end())
      it->second.outbound_waybill = get_text(r, 1);
  for (const auto& [code, id] : parcel_of) {
    auto it = parcels.find(id);
    if (it == parcels.end()) continue;  // an R-code of no parcel
    Found f = it->second;
    if (auto c = courier_of.find(code); c != courier_of.end()) f.courier = c->second;
    out.emplace(code, std::move(f));
  }
  return out;
}

std::optional<ReturnService::Found> ReturnService::find(const std::string& code) {
  auto found = find(std::span<const std::string>(&code, 1));
  if (found.empty()) return std::nullopt;
  return std::move(found.begin()->second);
}

Result<ScanResult> ReturnService::scan(const std::string& code) {
  if (auto ok = check_scanned(code); !ok) return std::unexpected(ok.error());
  return store::guarded([&]() -> Result<ScanResult> {
    auto f = find(code);
    if (!f)
      return fail(ErrorKind::not_found,
                  "no parcel has the code " + code +
                      " (an outbound waybill, a recorded return number or a form's R-code)");
    return shipped_lines(*f);
  });
}

ScanResult ReturnService::shipped_lines(const Found& f) {
  ScanResult s{f.parcel_id, f.state, f.shop, f.buyer_nick, f.outbound_waybill, {}, {}};
  review::ParcelRows rows(m_conn);
  const std::int64_t ids[] = {f.parcel_id};
  long long pid = f.parcel_id;
  std::map<orders::Oid, int> before;
  soci::rowset<soci::row> prior =
      (m_conn.sql().prepare << "SELECT l.oid, SUM(l.quantity) FROM return_lines l JOIN returns "
                               "r ON r.id = l.return_id WHERE r.parcel_id = :p GROUP BY l.oid",
       soci::use(pid));
  for (const auto& r : prior) before[get_int(r, 0)] = static_cast<int>(get_int(r, 1));
  auto lines = rows.lines(ids);  // named: a loop over lines(ids)[id] would outlive the map
  for (auto& l : lines[f.parcel_id]) s.lines.push_back({l.tid, l.line, before[l.line.oid]});
  soci::rowset<soci::row> earlier =
      (m_conn.sql().prepare << "SELECT id FROM returns WHERE parcel_id = :p ORDER BY id",
       soci::use(pid));
  for (const auto& r : earlier) s.earlier_returns.push_back(get_int(r, 0));
  return s;
}

Result<ReturnRecord> ReturnService::identify(ReturnRecord r, const CheckIn& c, const Found& f,
                                             UnixSeconds now) {
  const bool shipped = f.state == "printed" || f.state == "packed" ||
                       (m_s.accept_before_print && f.state == "waybill");
  if (!shipped)
    return fail(ErrorKind::conflict,
                "parcel " + std::to_string(f.parcel_id) + " never shipped (it is " + f.state + ")");
  const ScanResult sent = shipped_lines(f);  // read inside this transaction
  std::set<std::string> new_skus;
  for (const auto& l : c.lines)
    if (!l.new_sku.empty()) new_skus.insert(l.new_sku);
  std::map<std::string, bool> known;
  for (const auto& [sku, level] : review::StockRepository(m_conn).levels(new_skus))
    known[sku] = true;
  auto checked = check_form(c.lines, sent.lines, known);
  if (!checked) return std::unexpected(checked.error());
  r.state = "identified";
  r.parcel_id = f.parcel_id;
  r.shop = f.shop;
  r.buyer_nick = f.buyer_nick;
  r.outbound_waybill = f.outbound_waybill;
  if (r.courier.empty()) r.courier = f.courier;
  if (!sent.lines.empty()) r.tid = sent.lines.front().tid;
  r.lines.clear();
  for (std::size_t i = 0; i < checked->size(); ++i) {
    const CheckedLine& k = (*checked)[i];
    ReturnLine l{
        static_cast<int>(i + 1),
        k.line.oid,
        k.tid,
        k.form.sku,
        k.line.title,
        k.form.action,
        k.form.quantity,
        k.paid,
        k.form.new_sku,
        k.form.colour,
        k.form.size,
        k.form.new_unit_price,
        k.form.reason_code,
        k.form.reason.empty() ? std::string(reason_text(k.form.reason_code)) : k.form.reason};
    if (i == 0) r.tid = k.tid;
    r.lines.push_back(std::move(l));
  }
  // Goods that came back fine go back on the shelf; the others wait for a person.
  if (r.condition == Condition::fine && m_s.restock_fine) {
    review::StockRepository stock(m_conn);
    for (const auto& l : r.lines) {
      if (l.sku.empty()) continue;
      auto moved =
          stock.adjust_in(l.sku, l.quantity, "return R" + std::to_string(r.id), c.user, now);
      if (!moved && moved.error().kind == ErrorKind::not_found)
        log::warn("returned goods not restocked: SKU not in the stock list",
                  {{"return", r.id}, {"sku", l.sku}});
      else if (!moved)
        return std::unexpected(moved.error());
    }
  }
  const auto exchange_line = std::find_if(r.lines.begin(), r.lines.end(), [](const ReturnLine& l) {
    return l.action == LineAction::exchange;
  });
  if (exchange_line != r.lines.end()) {
    const orders::Tid original_tid = exchange_line->tid;
    const orders::Tid tids[] = {original_tid};
    auto originals = store::OrderQueries(m_conn).get_many(tids);
    if (originals.empty())
      return fail(ErrorKind::internal, "trade " + std::to_string(original_tid) + " not found");
    ExchangePlan plan =
        plan_exchange(originals.front().trade, r.id, r.lines, known_prices(m_conn, new_skus), now);
    const orders::Trade trades[] = {plan.trade};
    store::OrderRepository(m_conn, m_clock).upsert(trades, "aftersale:" + c.user);
    long long tid = plan.trade.tid, rid = r.id, orig = original_tid, diff = plan.price_difference,
              known_prices = plan.prices_known ? 1 : 0, at = now;
    m_conn.sql() << "INSERT INTO exchanges (tid, return_id, original_tid, price_difference, "
                    "prices_known, created_at) VALUES (:t, :r, :o, :d, :k, :a)",
        soci::use(tid), soci::use(rid), soci::use(orig), soci::use(diff), soci::use(known_prices),
        soci::use(at);
    r.exchange = ExchangeRecord{plan.trade.tid, plan.price_difference, plan.prices_known, {}, {}};
    if (!plan.prices_known || plan.price_difference != 0)
      log::info("exchange with a price difference: customer service checks it",
                {{"return", r.id},
                 {"tid", std::to_string(original_tid)},
                 {"difference_fen", plan.price_difference},
                 {"prices_known", plan.prices_known ? "yes" : "no"}});
  }
  for (const auto& l : r.lines) {
    long long rid = r.id, no = l.line_no, oid = l.oid, tid = l.tid, q = l.quantity, paid = l.paid,
              code = l.reason_code, price = l.new_unit_price.value_or(0);
    const bool ex = l.action == LineAction::exchange;
    soci::indicator ex_ind = ex ? soci::i_ok : soci::i_null;
    soci::indicator price_ind = ex && l.new_unit_price ? soci::i_ok : soci::i_null;
    const std::string action(to_string(l.action));
    m_conn.sql() << "INSERT INTO return_lines (return_id, line_no, oid, tid, sku, title, action, "
                    "quantity, paid, new_sku, colour, size, new_unit_price, reason_code, reason) "
                    "VALUES (:r, :n, :o, :t, :s, :ti, :a, :q, :p, :ns, :c, :sz, :np, :rc, :re)",
        soci::use(rid), soci::use(no), soci::use(oid), soci::use(tid), soci::use(l.sku),
        soci::use(l.title), soci::use(action), soci::use(q), soci::use(paid),
        soci::use(l.new_sku, ex_ind), soci::use(l.colour, ex_ind), soci::use(l.size, ex_ind),
        soci::use(price, price_ind), soci::use(code), soci::use(l.reason);
  }
  return r;
}

void ReturnService::add_slip(ReturnRecord& r, UnixSeconds now, ReturnWrites& writes) {
  const std::string id = slip_id(r.id, static_cast<int>(r.slip_ids.size()) + 1);
  const std::string supersedes = r.slip_ids.empty() ? std::string() : r.slip_ids.back();
  writes.add_slip(id, r.id, slip_kind(r), slip_json(r, id, supersedes, now), now);
  r.slip_ids.push_back(id);
}

Result<ReturnRecord> ReturnService::check_in(const CheckIn& c) {
  auto r = check_in_many(std::span<const CheckIn>(&c, 1));
  if (!r) return std::unexpected(r.error());
  return std::move(r->front());
}

std::map<std::string, ReturnRecord> ReturnService::by_request_key(std::span<const CheckIn> batch) {
  std::vector<std::string> keys;
  for (const auto& c : batch)
    if (!c.request_key.empty()) keys.push_back(c.request_key);
  std::map<std::string, ReturnRecord> out;
  constexpr std::size_t k_chunk = 500;  // bound parameters per statement
  for (std::size_t at = 0; at < keys.size(); at += k_chunk) {
    const auto chunk = std::span(keys).subspan(at, std::min(k_chunk, keys.size() - at));
    std::map<std::int64_t, std::string> key_of;
    store::FilteredSelect("SELECT id, request_key FROM returns")
        .one_of("request_key", chunk)
        .each(m_conn.sql(), "",
              [&](const soci::row& r) { key_of[get_int(r, 0)] = get_text(r, 1); });
    if (key_of.empty()) continue;
    std::vector<std::int64_t> ids;
    for (const auto& [id, key] : key_of) ids.push_back(id);
    for (auto& r :
         read(returns().where("id IN (" + store::id_list(ids) + ")"), static_cast<int>(ids.size())))
      out.emplace(key_of[r.id], std::move(r));
  }
  return out;
}

Result<std::vector<ReturnRecord>> ReturnService::check_in_many(std::span<const CheckIn> batch) {
  for (std::size_t i = 0; i < batch.size(); ++i)
    if (auto ok = check_code(batch[i]); !ok)
      return batch.size() == 1 ? std::unexpected(ok.error())
                               : fail(ok.error().kind,
                                      "check-in " + std::to_string(i) + ": " + ok.error().message);
  return store::in_transaction(m_conn, [&]() -> Result<std::vector<ReturnRecord>> {
    const UnixSeconds now = m_clock.now();
    std::vector<std::optional<ReturnRecord>> out(batch.size());
    // A request_key seen before (or earlier in this batch) answers with its first check-in.
    auto seen = by_request_key(batch);
    std::map<std::string, std::size_t> first_in_batch;
    std::vector<std::size_t> repeats_in_batch;
    std::vector<std::string> codes;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const std::string& key = batch[i].request_key;
      if (auto it = seen.find(key); !key.empty() && it != seen.end()) {
        out[i] = it->second;
      } else if (!key.empty() && !first_in_batch.emplace(key, i).second) {
        repeats_in_batch.push_back(i);
      } else {
        codes.push_back(batch[i].code);
      }
    }
    const auto found = find(codes);
    const auto fresh = static_cast<std::int64_t>(codes.size());
    std::int64_t next =
        fresh ? store::reserve_ids(m_conn, "aftersale_counters", "return", fresh) : 0;
    ReturnWrites writes;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (out[i] || std::ranges::find(repeats_in_batch, i) != repeats_in_batch.end()) continue;
      const CheckIn& c = batch[i];
      ReturnRecord r;
      r.id = next++;
      r.state = "unidentified";
      r.scanned = c.code;
      r.courier = c.courier;
      r.waybill_no = c.waybill_no.empty() && !form_code(c.code) ? c.code : c.waybill_no;
      r.condition = c.condition;
      r.note = c.note;
      r.received_by = c.user;
      r.received_at = now;
      const auto f = found.find(c.code);
      if (f == found.end() && !c.unidentified)
        return fail(ErrorKind::not_found,
                    "no parcel has the code " + c.code +
                        ": check it, scan the form's barcode, or record the parcel as "
                        "unidentified");
      if (f == found.end() && !c.lines.empty())
        return fail(ErrorKind::invalid_input,
                    "lines: a return nobody identified has no lines to check the form against; "
                    "match it to its parcel first");
      if (f != found.end()) {
        writes.flush(m_conn);  // the form is checked against earlier returns, this batch's too
        auto identified = identify(std::move(r), c, f->second, now);
        if (!identified) return std::unexpected(identified.error());
        r = std::move(*identified);
      }
      writes.add_return(r, c.request_key);
      add_slip(r, now, writes);
      out[i] = std::move(r);
    }
    writes.flush(m_conn);
    for (auto i : repeats_in_batch) out[i] = out[first_in_batch.at(batch[i].request_key)];
    std::vector<ReturnRecord> records;
    for (auto& r : out) records.push_back(std::move(*r));
    return records;
  });
}

Result<ReturnRecord> ReturnService::match(std::int64_t id, const CheckIn& c) {
  if (auto ok = check_code(c); !ok) return std::unexpected(ok.error());
  return store::in_transaction(m_conn, [&]() -> Result<ReturnRecord> {
    auto rows = read(returns().where("id = " + std::to_string(id)), 1);
    if (rows.empty()) return fail(ErrorKind::not_found, "no return " + std::to_string(id));
    ReturnRecord r = std::move(rows.front());
    auto found = find(c.code);
    if (r.state != "unidentified" && found && r.parcel_id == found->parcel_id &&
        r.matched_by == c.user)
      return r;  // this very match, sent again
    if (r.state != "unidentified")
      return fail(
          ErrorKind::conflict,
          "return " + std::to_string(id) + " is already identified" +
              (r.parcel_id ? " (parcel " + std::to_string(*r.parcel_id) + ")" : std::string()));
    if (!found) return fail(ErrorKind::not_found, "no parcel has the code " + c.code);
    const UnixSeconds now = m_clock.now();
    if (c.condition_given) r.condition = c.condition;
    if (!c.note.empty()) r.note = c.note;
    auto identified = identify(std::move(r), c, *found, now);
    if (!identified) return std::unexpected(identified.error());
    r = std::move(*identified);
    r.matched_by = c.user;
    r.matched_at = now;
    long long rid = r.id, at = now, pid = *r.parcel_id, tid = r.tid.value_or(0);
    soci::indicator tid_ind = r.tid ? soci::i_ok : soci::i_null;
    const std::string condition(to_string(r.condition));
    m_conn.sql() << "UPDATE returns SET state = :s, parcel_id = :p, tid = :t, shop = :sh, "
                    "buyer_nick = :b, courier = :c, matched_by = :u, matched_at = :a, "
                    "item_condition = :cond, note = :n WHERE id = :i",
        soci::use(r.state), soci::use(pid), soci::use(tid, tid_ind), soci::use(r.shop),
        soci::use(r.buyer_nick), soci::use(r.courier), soci::use(r.matched_by), soci::use(at),
        soci::use(condition), soci::use(r.note), soci::use(rid);
    ReturnWrites writes;
    add_slip(r, now, writes);
    writes.flush(m_conn);
    return r;
  });
}

std::vector<ReturnRecord> ReturnService::read(const store::FilteredSelect& query, int limit) {
  std::vector<ReturnRecord> out;
  query.each(m_conn.sql(), "ORDER BY id DESC LIMIT " + std::to_string(limit),
             [&](const soci::row& row) {
               ReturnRecord r;
               r.id = get_int(row, 0);
               r.state = get_text(row, 1);
               r.scanned = get_text(row, 2);
               r.courier = get_text(row, 3);
               r.waybill_no = get_text(row, 4);
               r.parcel_id = get_opt_int(row, 5);
               r.tid = get_opt_int(row, 6);
               r.shop = get_text(row, 7);
               r.buyer_nick = get_text(row, 8);
               r.condition = parse_condition(get_text(row, 9)).value_or(Condition::fine);
               r.note = get_text(row, 10);
               r.received_by = get_text(row, 11);
               r.received_at = get_int(row, 12);
               r.matched_by = get_text(row, 13);
               r.matched_at = get_opt_int(row, 14);
               out.push_back(std::move(r));
             });
  if (out.empty()) return out;
  std::map<std::int64_t, ReturnRecord*> by_id;
  std::vector<std::int64_t> ids;
  for (auto& r : out) {
    by_id[r.id] = &r;
    ids.push_back(r.id);
  }
  const std::string in = store::id_list(ids);
  soci::rowset<soci::row> lines =
      (m_conn.sql().prepare << "SELECT return_id, line_no, oid, tid, sku, title, action, "
                               "quantity, paid, new_sku, colour, size, new_unit_price, "
                               "reason_code, reason FROM return_lines WHERE return_id IN (" +
                                   in + ") ORDER BY return_id, line_no");
  for (const auto& row : lines) {
    ReturnLine l{static_cast<int>(get_int(row, 1)),
                 get_int(row, 2),
                 get_int(row, 3),
                 get_text(row, 4),
                 get_text(row, 5),
                 parse_action(get_text(row, 6)).value_or(LineAction::give_back),
                 static_cast<int>(get_int(row, 7)),
                 get_int(row, 8),
                 get_text(row, 9),
                 get_text(row, 10),
                 get_text(row, 11),
                 get_opt_int(row, 12),
                 static_cast<int>(get_int(row, 13)),
                 get_text(row, 14)};
    by_id[get_int(row, 0)]->lines.push_back(std::move(l));
  }
  soci::rowset<soci::row> ex =
      (m_conn.sql().prepare
       << "SELECT e.return_id, e.tid, e.price_difference, e.prices_known, t.parcel_id, p.state "
          "FROM exchanges e LEFT JOIN parcel_trades t ON t.tid = e.tid LEFT JOIN parcels p ON "
          "p.id = t.parcel_id WHERE e.return_id IN (" +
              in + ")");
  for (const auto& row : ex)
    by_id[get_int(row, 0)]->exchange =
        ExchangeRecord{get_int(row, 1), get_int(row, 2), get_int(row, 3) != 0, get_opt_int(row, 4),
                       get_text(row, 5)};
  soci::rowset<soci::row> slips =
      (m_conn.sql().prepare << "SELECT return_id, id FROM slips WHERE return_id IN (" + in +
                                   ") ORDER BY return_id, created_at, id");
  for (const auto& row : slips) by_id[get_int(row, 0)]->slip_ids.push_back(get_text(row, 1));
  soci::rowset<soci::row> waybills =
      (m_conn.sql().prepare << "SELECT r.id, w.waybill_no FROM returns r JOIN waybills w ON "
                               "w.parcel_id = r.parcel_id AND w.state = 'issued' WHERE r.id IN (" +
                                   in + ")");
  for (const auto& row : waybills) by_id[get_int(row, 0)]->outbound_waybill = get_text(row, 1);
  return out;
}

Result<std::optional<ReturnRecord>> ReturnService::get(std::int64_t id) {
  return store::guarded([&]() -> Result<std::optional<ReturnRecord>> {
    auto rows = read(returns().where("id = " + std::to_string(id)), 1);
    if (rows.empty()) return std::optional<ReturnRecord>();
    return std::optional<ReturnRecord>(std::move(rows.front()));
  });
}

Result<std::vector<ReturnRecord>> ReturnService::list(const ReturnFilter& f) {
  return store::guarded([&]() -> Result<std::vector<ReturnRecord>> {
    auto q = returns();
    q.equals("state", f.state).equals("courier", f.courier);
    q.equals_any({"waybill_no", "scanned"}, f.waybill_no);
    if (f.tid) q.where("tid = " + std::to_string(*f.tid));
    if (f.before_id) q.where("id < " + std::to_string(*f.before_id));
    return read(q, f.limit);
  });
}

}  // namespace fulfil::aftersale
