#include "courier/number_pool.hpp"

#include <array>

#include "store/bulk_writer.hpp"
#include "store/order_queries.hpp"
#include "store/row_reader.hpp"

namespace fulfil::courier {

using store::get_int;
using store::get_text;

namespace {

constexpr std::size_t k_max_import = 10'000'000;

bool plain_number(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  return true;
}

}  // namespace

Result<PoolImport> NumberPool::import_range(const std::string& courier, const std::string& range,
                                            UnixSeconds now) {
  const auto dash = range.rfind('-');
  auto bad = [&](std::string why) {
    return fail(ErrorKind::invalid_input, "range \"" + range + "\": " + why);
  };
  if (dash == std::string::npos) return bad("expected FIRST-LAST");
  const std::string first = range.substr(0, dash), last = range.substr(dash + 1);
  std::size_t digits = 0;
  while (digits < first.size() &&
         std::isdigit(static_cast<unsigned char>(first[first.size() - 1 - digits])))
    ++digits;
  if (digits == 0 || first.size() != last.size() || digits > 18)
    return bad("both ends need the same length and a numeric tail of at most 18 digits");
  const std::string prefix = first.substr(0, first.size() - digits);
  if (last.compare(0, prefix.size(), prefix) != 0) return bad("the ends have different prefixes");
  std::int64_t from = 0, to = 0;
  for (char c : first.substr(prefix.size())) from = from * 10 + (c - '0');
  for (char c : last.substr(prefix.size())) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return bad("the last number is not numeric");
    to = to * 10 + (c - '0');
  }
  if (to < from) return bad("the last number is below the first");
  if (static_cast<std::size_t>(to - from) >= k_max_import)
    return bad("more than " + std::to_string(k_max_import) + " numbers at once");
  std::vector<std::string> numbers;
  numbers.reserve(static_cast<std::size_t>(to - from + 1));
  for (std::int64_t n = from; n <= to; ++n) {
    std::string tail = std::to_string(n);
    numbers.push_back(prefix + std::string(digits - tail.size(), '0') + tail);
  }
  return add(courier, numbers, now);
}

Result<PoolImport> NumberPool::import_list(const std::string& courier, std::string_view text,
                                           UnixSeconds now) {
  std::vector<std::string> numbers;
  std::size_t line = 0;
  while (!text.empty()) {
    ++line;
    auto nl = text.find('\n');
    std::string_view l = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    while (!l.empty() && (l.back() == '\r' || l.back() == ' ' || l.back() == '\t'))
      l.remove_suffix(1);
    while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
    if (l.empty()) continue;
    if (!plain_number(l))
      return fail(ErrorKind::invalid_input, "line " + std::to_string(line) + ": \"" +
                                                std::string(l.substr(0, 40)) +
                                                "\" is not a waybill number (letters, digits, -)");
    numbers.emplace_back(l);
  }
  if (numbers.empty()) return fail(ErrorKind::invalid_input, "no numbers in the list");
  return add(courier, numbers, now);
}

Result<PoolImport> NumberPool::add(const std::string& courier,
                                   const std::vector<std::string>& numbers, UnixSeconds now) {
  if (courier.empty()) return fail(ErrorKind::invalid_input, "courier: required");
  return store::in_transaction(m_conn, [&]() -> Result<PoolImport> {
    long long before = 0, after = 0;
    m_conn.sql() << "SELECT COUNT(*) FROM courier_numbers WHERE courier = :c", soci::use(courier),
        soci::into(before);
    static constexpr std::array<std::string_view, 4> k_columns{"courier", "number", "state",
                                                               "imported_at"};
    store::BulkWriter writer(m_conn);
    std::vector<store::SqlValue> rows;
    for (std::size_t i = 0; i < numbers.size(); ++i) {
      store::SqlValue row[] = {std::string_view(courier), std::string_view(numbers[i]),
                               std::string_view("free"), now};
      rows.insert(rows.end(), std::begin(row), std::end(row));
      if (rows.size() >= 40000 || i + 1 == numbers.size()) {
        writer.insert("courier_numbers", k_columns, rows,
                      "ON CONFLICT (courier, number) DO NOTHING");
        rows.clear();
      }
    }
    m_conn.sql() << "SELECT COUNT(*) FROM courier_numbers WHERE courier = :c", soci::use(courier),
        soci::into(after);
    const std::int64_t added = after - before;
    return PoolImport{added, static_cast<std::int64_t>(numbers.size()) - added};
  });
}

std::vector<std::string> NumberPool::take(const std::string& courier,
                                          const std::vector<std::int64_t>& parcel_ids,
                                          UnixSeconds now) {
  std::vector<std::string> out;
  if (parcel_ids.empty()) return out;
  const bool pg = m_conn.dialect() == store::Dialect::postgresql;
  const std::string n = std::to_string(parcel_ids.size());
  std::vector<std::pair<std::int64_t, std::string>> got;  // seq, number
  {
    std::string sql =
        "SELECT seq, number FROM courier_numbers WHERE courier = :c AND state = "
        "'free' ORDER BY seq LIMIT " +
        n + (pg ? " FOR UPDATE SKIP LOCKED" : "");
    soci::rowset<soci::row> rows = (m_conn.sql().prepare << sql, soci::use(courier));
    for (const auto& r : rows) got.emplace_back(get_int(r, 0), get_text(r, 1));
  }
  // One statement for the batch; each number's parcel is recorded on its waybill.
  std::vector<std::int64_t> seqs;
  for (const auto& [seq, number] : got) {
    seqs.push_back(seq);
    out.push_back(number);
  }
  if (!seqs.empty()) {
    long long at = now;
    m_conn.sql() << "UPDATE courier_numbers SET state = 'used', used_at = :t WHERE seq IN (" +
                        store::id_list(seqs) + ")",
        soci::use(at);
  }
  return out;
}

void NumberPool::void_number(const std::string& courier, const std::string& number) {
  m_conn.sql() << "UPDATE courier_numbers SET state = 'void' WHERE courier = :c AND number = :n",
      soci::use(courier), soci::use(number);
}

Result<std::vector<PoolLevel>> NumberPool::levels() {
  return store::guarded([&]() -> Result<std::vector<PoolLevel>> {
    std::map<std::string, PoolLevel> by;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT courier, state, COUNT(*) FROM courier_numbers GROUP BY "
                                 "courier, state ORDER BY courier");
    for (const auto& r : rows) {
      auto& l = by[get_text(r, 0)];
      l.courier = get_text(r, 0);
      const auto state = get_text(r, 1);
      (state == "free" ? l.free : state == "used" ? l.used : l.void_) = get_int(r, 2);
    }
    std::vector<PoolLevel> out;
    for (auto& [c, l] : by) out.push_back(l);
    return out;
  });
}

}  // namespace fulfil::courier
