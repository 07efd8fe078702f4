#pragma once
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>

namespace fulfil::store {

// Column readers that accept whatever integer type the backend reports (SQLite and
// PostgreSQL disagree), and treat NULL explicitly.
std::int64_t get_int(const soci::row& r, std::size_t i, std::int64_t if_null = 0);
std::optional<std::int64_t> get_opt_int(const soci::row& r, std::size_t i);
std::string get_text(const soci::row& r, std::size_t i);
bool is_null(const soci::row& r, std::size_t i);

}  // namespace fulfil::store
