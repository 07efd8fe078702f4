#include "store/id_counter.hpp"

#include <string>

namespace fulfil::store {

std::int64_t reserve_ids(Connection& conn, std::string_view table, std::string_view name,
                         std::int64_t n) {
  long long count = n, last = 0;
  const std::string counters(table), key(name);
  conn.sql() << "INSERT INTO " + counters + " (name, next_value) VALUES (:k, :n) ON CONFLICT " +
                    "(name) DO UPDATE SET next_value = " + counters +
                    ".next_value + excluded.next_value RETURNING next_value",
      soci::use(key), soci::use(count), soci::into(last);
  return last - n + 1;
}

}  // namespace fulfil::store
