#include "review/stock.hpp"

#include "common/digits.hpp"
#include "common/utf8.hpp"
#include "csvimport/csv_reader.hpp"
#include "store/order_queries.hpp"
#include "store/row_reader.hpp"

namespace fulfil::review {

using store::get_int;
using store::get_text;

namespace {

StockLevel read(const soci::row& r) {
  return {get_text(r, 0), get_int(r, 1), get_int(r, 2), get_int(r, 3), get_text(r, 4)};
}

Result<std::int64_t> parse_quantity(std::string_view v) {
  bool negative = v.starts_with('-');
  if (negative || v.starts_with('+')) v.remove_prefix(1);
  auto n = parse_digits(v);
  if (!n || *n > k_max_stock_quantity)
    return fail(ErrorKind::invalid_input, "\"" + std::string(v.substr(0, 20)) +
                                              "\" is not a quantity (0-" +
                                              std::to_string(k_max_stock_quantity) + ")");
  return negative ? -*n : *n;
}

void record_move(store::Connection& c, const std::string& sku, std::int64_t delta,
                 std::int64_t after, const std::string& reason, const std::string& actor,
                 UnixSeconds now) {
  long long d = delta, a = after, at = now;
  c.sql() << "INSERT INTO stock_moves (sku, on_hand_delta, on_hand_after, reason, actor, at) "
             "VALUES (:s, :d, :a, :r, :w, :t)",
      soci::use(sku), soci::use(d), soci::use(a), soci::use(reason), soci::use(actor),
      soci::use(at);
}

}  // namespace

Result<StockLoadReport> StockRepository::load_csv(std::string_view bytes, const std::string& source,
                                                  const std::string& actor, UnixSeconds now) {
  auto records = csvimport::read_upload(bytes, source);
  if (!records) return std::unexpected(records.error());
  std::optional<std::size_t> sku_col, qty_col, location_col, barcode_col;
  const auto& header = records->front().fields;
  for (std::size_t i = 0; i < header.size(); ++i) {
    auto h = csvimport::trim_field(header[i]);
    if (h == "sku" || h == "outer_sku_id" || h == "商家编码") sku_col = i;
    if (h == "on_hand" || h == "quantity" || h == "库存" || h == "数量") qty_col = i;
    if (h == "location" || h == "库位" || h == "货位") location_col = i;
    if (h == "barcode" || h == "条码" || h == "条形码") barcode_col = i;
  }
  if (!sku_col || !qty_col)
    return fail(ErrorKind::invalid_input,
                source + " line 1: header needs columns sku and on_hand (or 商家编码, 库存)");
  struct Row {
    std::string sku;
    std::int64_t qty;
    std::string location, barcode;
  };
  std::vector<Row> rows;
  std::string errors;
  std::set<std::string> seen, barcodes;
  for (std::size_t i = 1; i < records->size(); ++i) {
    const auto& rec = (*records)[i];
    auto field = [&](std::size_t col) { return csvimport::field_at(rec, col); };
    const std::string where = source + ":" + std::to_string(rec.line) + ": ";
    std::string sku = field(*sku_col);
    auto qty = parse_quantity(field(*qty_col));
    std::string location = location_col ? field(*location_col) : std::string();
    std::string barcode = barcode_col ? field(*barcode_col) : std::string();
    if (sku.empty() || sku.size() > 128 || find_invalid_utf8(sku))
      errors += where + "sku: empty, invalid or longer than 128 bytes\n";
    else if (!qty)
      errors += where + "on_hand: " + qty.error().message + "\n";
    else if (*qty < 0)
      errors += where + "on_hand: " + std::to_string(*qty) + " is below zero\n";
    else if (location.size() > 64 || find_invalid_utf8(location))
      errors += where + "location: invalid or longer than 64 bytes\n";
    else if (barcode.size() > 64 || has_control(barcode, false) || find_invalid_utf8(barcode))
      errors += where + "barcode: invalid or longer than 64 bytes\n";
    else if (!seen.insert(sku).second)
      errors += where + "sku " + sku + " appears twice\n";
    else if (!barcode.empty() && !barcodes.insert(barcode).second)
      errors += where + "barcode " + barcode + " is another SKU's in this file too\n";
    else
      rows.push_back({sku, *qty, location, barcode});
  }
  if (!errors.empty()) {
    errors.pop_back();
    return fail(ErrorKind::invalid_input, "stock file refused, nothing changed:\n" + errors);
  }
  return store::in_transaction(m_conn, [&]() -> Result<StockLoadReport> {
    StockLoadReport report;
    report.rows = static_cast<int>(rows.size());
    for (const auto& [sku, qty, location, barcode] : rows) {
      long long before = -1, q = qty, at = now;
      std::string had, had_code;
      soci::indicator ind;
      m_conn.sql() << "SELECT on_hand, location, barcode FROM stock WHERE sku = :s", soci::use(sku),
          soci::into(before, ind), soci::into(had), soci::into(had_code);
      const bool known = m_conn.sql().got_data() && ind == soci::i_ok;
      // A file without the column leaves locations (barcodes) as they are.
      const std::string& place = location_col ? location : had;
      const std::string& code = barcode_col ? barcode : had_code;
      if (known && before == qty && place == had && code == had_code) continue;
      if (!code.empty()) {
        std::string owner;
        m_conn.sql() << "SELECT sku FROM stock WHERE barcode = :b AND sku <> :s", soci::use(code),
            soci::use(sku), soci::into(owner);
        if (m_conn.sql().got_data())
          return fail(ErrorKind::invalid_input, source + ": barcode " + code + " of " + sku +
                                                    " is " + owner + "'s already; nothing changed");
      }
      if (known)
        m_conn.sql() << "UPDATE stock SET on_hand = :q, location = :l, barcode = :b, "
                        "updated_at = :t WHERE sku = :s",
            soci::use(q), soci::use(place), soci::use(code), soci::use(at), soci::use(sku);
      else
        m_conn.sql() << "INSERT INTO stock (sku, on_hand, reserved, updated_at, location, "
                        "barcode) VALUES (:s, :q, 0, :t, :l, :b)",
            soci::use(sku), soci::use(q), soci::use(at), soci::use(place), soci::use(code);
      if (known && before == qty) {
        ++report.changed;
        continue;
      }
      record_move(m_conn, sku, qty - (known ? before : 0), qty, "load " + source, actor, now);
      ++(known ? report.changed : report.created);
    }
    return report;
  });
}

Result<StockLevel> StockRepository::adjust(const std::string& sku, std::int64_t delta,
                                           const std::string& reason, const std::string& actor,
                                           UnixSeconds now) {
  return store::in_transaction(m_conn, [&] { return adjust_in(sku, delta, reason, actor, now); });
}

Result<StockLevel> StockRepository::adjust_in(const std::string& sku, std::int64_t delta,
                                              const std::string& reason, const std::string& actor,
                                              UnixSeconds now) {
  if (delta == 0 || delta > k_max_stock_quantity || delta < -k_max_stock_quantity)
    return fail(ErrorKind::invalid_input, "delta: expected a non-zero quantity within ±" +
                                              std::to_string(k_max_stock_quantity));
  if (reason.empty()) return fail(ErrorKind::invalid_input, "reason: say why stock changes");
  std::string sql = "SELECT sku, on_hand, reserved, updated_at, location FROM stock WHERE sku = :s";
  if (m_conn.dialect() == store::Dialect::postgresql) sql += " FOR UPDATE";
  soci::rowset<soci::row> rows = (m_conn.sql().prepare << sql, soci::use(sku));
  std::optional<StockLevel> level;
  for (const auto& r : rows) level = read(r);
  if (!level) return fail(ErrorKind::not_found, "no stock for SKU " + sku);
  if (level->on_hand + delta < 0)
    return fail(ErrorKind::invalid_input, "delta " + std::to_string(delta) + " would take SKU " +
                                              sku + " below zero (on hand " +
                                              std::to_string(level->on_hand) + ")");
  level->on_hand += delta;
  level->updated_at = now;
  long long q = level->on_hand, at = now;
  m_conn.sql() << "UPDATE stock SET on_hand = :q, updated_at = :t WHERE sku = :s", soci::use(q),
      soci::use(at), soci::use(sku);
  record_move(m_conn, sku, delta, level->on_hand, reason, actor, now);
  return *level;
}

Result<std::optional<StockLevel>> StockRepository::get(const std::string& sku) {
  return store::guarded([&]() -> Result<std::optional<StockLevel>> {
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT sku, on_hand, reserved, updated_at, location FROM stock "
                                 "WHERE sku = :s",
         soci::use(sku));
    std::optional<StockLevel> out;
    for (const auto& r : rows) out = read(r);
    return out;
  });
}

Result<std::vector<StockLevel>> StockRepository::list(const std::string& after, int limit,
                                                      bool oversold_only) {
  return store::guarded([&]() -> Result<std::vector<StockLevel>> {
    std::string sql =
        "SELECT sku, on_hand, reserved, updated_at, location FROM stock WHERE sku > :a";
    if (oversold_only) sql += " AND reserved > on_hand";
    sql += " ORDER BY sku LIMIT " + std::to_string(std::clamp(limit, 1, 1000));
    soci::rowset<soci::row> rows = (m_conn.sql().prepare << sql, soci::use(after));
    std::vector<StockLevel> out;
    for (const auto& r : rows) out.push_back(read(r));
    return out;
  });
}

std::map<std::string, StockLevel> StockRepository::levels(const std::set<std::string>& skus) {
  std::map<std::string, StockLevel> out;
  if (skus.empty()) return out;
  std::vector<std::string> values(skus.begin(), skus.end());
  std::string sql =
      "SELECT sku, on_hand, reserved, updated_at, location FROM stock WHERE sku IN (" +
      store::text_set(m_conn.dialect()) + ")";
  if (m_conn.dialect() == store::Dialect::postgresql) sql += " ORDER BY sku FOR UPDATE";
  std::string list = store::json_text_array(values);
  soci::rowset<soci::row> rows = (m_conn.sql().prepare << sql, soci::use(list));
  for (const auto& r : rows) {
    auto level = read(r);
    out.emplace(level.sku, level);
  }
  return out;
}

std::map<std::string, std::string> StockRepository::locations(const std::set<std::string>& skus) {
  std::map<std::string, std::string> out;
  if (skus.empty()) return out;
  std::vector<std::string> values(skus.begin(), skus.end());
  const std::string list = store::json_text_array(values);
  soci::rowset<soci::row> rows =
      (m_conn.sql().prepare << "SELECT sku, location FROM stock WHERE location <> '' AND sku IN (" +
                                   store::text_set(m_conn.dialect()) + ")",
       soci::use(list));
  for (const auto& r : rows) out.emplace(get_text(r, 0), get_text(r, 1));
  return out;
}

}  // namespace fulfil::review
