#include "stock/mappings.hpp"

#include <optional>
#include <set>
#include <vector>

#include "common/digits.hpp"
#include "common/utf8.hpp"
#include "csvimport/csv_reader.hpp"

namespace fulfil::stock {

namespace {

struct Mapping {
  std::string sku;
  long long num_iid = 0, sku_id = 0;
};

}  // namespace

Result<MappingReport> load_mappings(store::Connection& conn, const std::string& shop,
                                    std::string_view bytes, const std::string& source,
                                    UnixSeconds now) {
  auto records = csvimport::read_upload(bytes, source);
  if (!records) return std::unexpected(records.error());
  std::optional<std::size_t> sku_col, item_col, sku_id_col;
  const auto& header = records->front().fields;
  for (std::size_t i = 0; i < header.size(); ++i) {
    auto h = csvimport::trim_field(header[i]);
    if (h == "sku" || h == "outer_sku_id" || h == "商家编码") sku_col = i;
    if (h == "num_iid" || h == "商品ID" || h == "宝贝ID") item_col = i;
    if (h == "sku_id" || h == "SKU ID" || h == "skuID") sku_id_col = i;
  }
  if (!sku_col || !item_col)
    return fail(ErrorKind::invalid_input,
                source + " line 1: header needs columns sku and num_iid (or 商家编码, 商品ID)");
  std::vector<Mapping> rows;
  std::set<std::string> seen;
  std::string errors;
  for (std::size_t i = 1; i < records->size(); ++i) {
    const auto& rec = (*records)[i];
    auto field = [&](std::size_t col) { return csvimport::field_at(rec, col); };
    const std::string where = source + ":" + std::to_string(rec.line) + ": ";
    Mapping m{field(*sku_col)};
    const std::string item = field(*item_col), sku_id = sku_id_col ? field(*sku_id_col) : "";
    auto num_iid = parse_digits(item);
    std::optional<std::int64_t> id = 0;
    if (!sku_id.empty()) {
      auto digits = parse_digits(sku_id);
      id = digits ? std::optional<std::int64_t>(*digits) : std::nullopt;
    }
    if (m.sku.empty() || m.sku.size() > 128 || find_invalid_utf8(m.sku))
      errors += where + "sku: empty, invalid or longer than 128 bytes\n";
    else if (!num_iid || *num_iid <= 0)
      errors += where + "num_iid: \"" + item.substr(0, 30) + "\" is not an item number\n";
    else if (!id)
      errors += where + "sku_id: \"" + sku_id.substr(0, 30) + "\" is not a SKU number\n";
    else if (!seen.insert(m.sku).second)
      errors += where + "sku " + m.sku + " appears twice\n";
    else {
      m.num_iid = *num_iid;
      m.sku_id = *id;
      rows.push_back(std::move(m));
    }
  }
  if (!errors.empty()) {
    errors.pop_back();
    return fail(ErrorKind::invalid_input, "mapping file refused, nothing changed:\n" + errors);
  }
  return store::in_transaction(conn, [&]() -> Result<MappingReport> {
    MappingReport report;
    report.rows = static_cast<int>(rows.size());
    long long at = now;
    for (const auto& m : rows) {
      long long had_item = -1, had_sku = -1;
      soci::indicator ind = soci::i_null;
      std::string sku = m.sku, s = shop;
      long long item = m.num_iid, id = m.sku_id;
      conn.sql() << "SELECT num_iid, sku_id FROM stock_mappings WHERE shop = :s AND sku = :k",
          soci::use(s), soci::use(sku), soci::into(had_item, ind), soci::into(had_sku);
      if (!conn.sql().got_data()) {
        conn.sql() << "INSERT INTO stock_mappings (shop, sku, num_iid, sku_id, loaded_at) VALUES "
                      "(:s, :k, :i, :d, :a)",
            soci::use(s), soci::use(sku), soci::use(item), soci::use(id), soci::use(at);
        ++report.added;
      } else if (had_item != item || had_sku != id) {
        conn.sql() << "UPDATE stock_mappings SET num_iid = :i, sku_id = :d, loaded_at = :a WHERE "
                      "shop = :s AND sku = :k",
            soci::use(item), soci::use(id), soci::use(at), soci::use(s), soci::use(sku);
        conn.sql() << "DELETE FROM stock_pushes WHERE shop = :s AND sku = :k", soci::use(s),
            soci::use(sku);
        ++report.changed;
      }
    }
    return report;
  });
}

}  // namespace fulfil::stock
