#pragma once

#include <soci/soci.h>

#include <deque>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace fulfil::store {

// A SELECT whose WHERE grows with the filters a caller sets (list screens, searches). Text
// from outside goes through bound parameters, never into the SQL; only integers the caller
// formats itself are inlined.
class FilteredSelect {
 public:
  // `head`: "SELECT columns FROM table" (joins allowed, no WHERE).
  explicit FilteredSelect(std::string head);
  // AND column = value; nothing when value is empty.
  FilteredSelect& equals(std::string_view column, const std::string& value);
  // AND (first = value OR second = value ...); nothing when value is empty.
  FilteredSelect& equals_any(std::initializer_list<std::string_view> columns,
                             const std::string& value);
  // AND column IN (values); an empty list matches nothing.
  FilteredSelect& one_of(std::string_view column, std::span<const std::string> values);
  // AND clause: a condition holding no outside text (integers formatted by the caller).
  FilteredSelect& where(const std::string& clause);
  // Runs it with `tail` (ORDER BY, LIMIT) appended; on_row sees each row in order.
  void each(soci::session& sql, std::string_view tail,
            const std::function<void(const soci::row&)>& on_row) const;

 private:
  std::string placeholder(const std::string& value);
  std::string m_sql;
  std::deque<std::string> m_texts;  // a deque: bound by reference, never moved
};

}  // namespace fulfil::store
