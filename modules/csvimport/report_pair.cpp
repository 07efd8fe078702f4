#include "csvimport/report_pair.hpp"

#include <boost/json.hpp>
#include <map>

#include "common/digits.hpp"
#include "store/order_queries.hpp"
#include "store/row_reader.hpp"

namespace fulfil::csvimport {

namespace json = boost::json;
using store::get_int;
using store::get_text;

namespace {
constexpr std::size_t k_columns = static_cast<std::size_t>(Column::count_);

const char* kind_name(FileKind k) {
  return k == FileKind::order_report ? "orders" : "items";
}
}  // namespace

ColumnMap ReportPair::joined_map() {
  ColumnMap m;
  for (std::size_t i = 0; i < k_columns; ++i) m.index[i] = i;
  m.kind = FileKind::full;
  return m;
}

std::set<std::int64_t> ReportPair::keep(const std::vector<CsvRecord>& records,
                                        const ColumnMap& columns, const std::string& shop,
                                        const std::string& file, UnixSeconds now) {
  std::set<std::int64_t> touched;
  const std::string kind = kind_name(columns.kind);
  std::set<std::int64_t> replaced;
  for (const auto& rec : records) {
    json::object payload;
    for (std::size_t c = 0; c < k_columns; ++c) {
      auto at = columns.index[c];
      if (at && *at < rec.fields.size())
        payload[std::to_string(c)] = std::string(trim_field(rec.fields[*at]));
    }
    // Rows whose tid cannot be read stay in the file's bad rows (the caller parses them).
    auto tid = parse_digits(tid_text(rec, columns));
    if (!tid) continue;
    long long t = *tid, line = rec.line, at = now;
    if (replaced.insert(*tid).second)
      m_conn.sql() << "DELETE FROM csv_halves WHERE shop = :s AND tid = :t AND kind = :k",
          soci::use(shop), soci::use(t), soci::use(kind);
    std::string body = json::serialize(payload);
    m_conn.sql() << "INSERT INTO csv_halves (shop, tid, kind, file_name, line, payload, at) "
                    "VALUES (:s, :t, :k, :f, :l, :p, :a)",
        soci::use(shop), soci::use(t), soci::use(kind), soci::use(file), soci::use(line),
        soci::use(body), soci::use(at);
    touched.insert(*tid);
  }
  return touched;
}

std::vector<CsvRecord> ReportPair::take_complete(const std::string& shop,
                                                 const std::set<std::int64_t>& tids) {
  std::vector<CsvRecord> out;
  if (tids.empty()) return out;
  const std::vector<std::int64_t> list(tids.begin(), tids.end());
  struct Half {
    std::optional<std::vector<std::string>> order;
    std::vector<std::pair<int, std::vector<std::string>>> items;  // line, fields
  };
  std::map<std::int64_t, Half> halves;
  soci::rowset<soci::row> rows =
      (m_conn.sql().prepare << "SELECT tid, kind, line, payload FROM csv_halves WHERE shop = :s "
                               "AND tid IN (" +
                                   store::id_list(list) + ") ORDER BY id",
       soci::use(shop));
  for (const auto& r : rows) {
    std::vector<std::string> fields(k_columns);
    boost::system::error_code ec;
    auto v = json::parse(get_text(r, 3), ec);
    if (!ec && v.is_object())
      for (const auto& [k, value] : v.as_object())
        if (auto c = parse_digits(k);
            c && *c < static_cast<std::int64_t>(k_columns) && value.is_string())
          fields[static_cast<std::size_t>(*c)] = std::string(value.as_string());
    auto& h = halves[get_int(r, 0)];
    if (get_text(r, 1) == "orders")
      h.order = std::move(fields);
    else
      h.items.emplace_back(static_cast<int>(get_int(r, 2)), std::move(fields));
  }
  std::vector<std::int64_t> done;
  for (auto& [tid, h] : halves) {
    if (!h.order || h.items.empty()) continue;
    for (auto& [line, item] : h.items) {
      CsvRecord rec;
      rec.line = line;
      rec.fields = *h.order;
      for (std::size_t c = 0; c < k_columns; ++c)
        if (!order_column(static_cast<Column>(c)) || rec.fields[c].empty())
          if (!item[c].empty()) rec.fields[c] = item[c];
      out.push_back(std::move(rec));
    }
    done.push_back(tid);
  }
  if (!done.empty())
    m_conn.sql() << "DELETE FROM csv_halves WHERE shop = :s AND tid IN (" + store::id_list(done) +
                        ")",
        soci::use(shop);
  return out;
}

Result<std::vector<WaitingHalf>> ReportPair::waiting(const std::string& shop, UnixSeconds before) {
  return store::guarded([&]() -> Result<std::vector<WaitingHalf>> {
    long long b = before;
    std::vector<WaitingHalf> out;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT tid, MIN(kind), MAX(kind), MIN(file_name), MIN(at) "
                                 "FROM csv_halves WHERE shop = :s GROUP BY tid HAVING "
                                 "MIN(at) < :b AND MIN(kind) = MAX(kind) ORDER BY tid LIMIT 100",
         soci::use(shop), soci::use(b));
    for (const auto& r : rows)
      out.push_back({get_int(r, 0), get_text(r, 1) == "orders" ? "order report" : "item report",
                     get_text(r, 3), get_int(r, 4)});
    return out;
  });
}

}  // namespace fulfil::csvimport
