#include "store/filtered_select.hpp"

namespace fulfil::store {

FilteredSelect::FilteredSelect(std::string head) : m_sql(std::move(head) + " WHERE 1 = 1") {}

std::string FilteredSelect::placeholder(const std::string& value) {
  m_texts.push_back(value);
  return ":p" + std::to_string(m_texts.size());
}

FilteredSelect& FilteredSelect::equals(std::string_view column, const std::string& value) {
  if (!value.empty()) m_sql += " AND " + std::string(column) + " = " + placeholder(value);
  return *this;
}

FilteredSelect& FilteredSelect::equals_any(std::initializer_list<std::string_view> columns,
                                           const std::string& value) {
  if (value.empty() || columns.size() == 0) return *this;
  std::string any;
  // One parameter per use: SOCI numbers placeholders by position on both backends.
  for (auto column : columns)
    any += (any.empty() ? "" : " OR ") + std::string(column) + " = " + placeholder(value);
  m_sql += " AND (" + any + ")";
  return *this;
}

FilteredSelect& FilteredSelect::one_of(std::string_view column,
                                       std::span<const std::string> values) {
  if (values.empty()) return where("1 = 0");
  std::string list;
  for (const auto& v : values) list += (list.empty() ? "" : ", ") + placeholder(v);
  m_sql += " AND " + std::string(column) + " IN (" + list + ")";
  return *this;
}

FilteredSelect& FilteredSelect::where(const std::string& clause) {
  m_sql += " AND (" + clause + ")";
  return *this;
}

void FilteredSelect::each(soci::session& sql, std::string_view tail,
                          const std::function<void(const soci::row&)>& on_row) const {
  soci::statement st = (sql.prepare << m_sql + " " + std::string(tail));
  for (const auto& t : m_texts) st.exchange(soci::use(t));
  soci::row r;
  st.exchange(soci::into(r));
  st.define_and_bind();
  if (!st.execute(true)) return;
  do on_row(r);
  while (st.fetch());
}

}  // namespace fulfil::store
