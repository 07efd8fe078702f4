#pragma once

#include <cstdint>
#include <string_view>

#include "store/database.hpp"

namespace fulfil::store {

// Reserves `n` consecutive ids from a counter row (name, next_value) in `table`, inside the
// caller's transaction, and returns the first. Modules keep their own counter table so a
// batch of inserts knows its ids up front without a round trip per row; on PostgreSQL the
// row lock serialises instances, so no id is handed out twice.
std::int64_t reserve_ids(Connection& conn, std::string_view table, std::string_view name,
                         std::int64_t n);

}  // namespace fulfil::store
