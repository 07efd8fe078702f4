#pragma once
#include <span>
#include <string>
#include <string_view>

#include "store/bulk_writer.hpp"

namespace fulfil::store {

// PostgreSQL's fast path for many rows: COPY ... FROM STDIN in text format, which the
// server takes without parsing or binding a parameter per value (a 100-trade page as one
// multi-row INSERT spent a third of the server's time in parse and bind). Rows that need an
// ON CONFLICT clause go through a session-local staging table and one INSERT ... SELECT.
// Throws std::runtime_error with the server's message. `pg` is a PGconn*.
void pg_copy_insert(void* pg, std::string_view table, std::span<const std::string_view> columns,
                    std::span<const SqlValue> values, std::string_view suffix);

// Appends one value in COPY's text format (\N for NULL; backslash, tab, newline and carriage
// return escaped).
void append_copy_value(std::string& out, const SqlValue& v);

}  // namespace fulfil::store
