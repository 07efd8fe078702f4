#pragma once
#include <toml++/toml.h>

#include <string>
#include <vector>

#include "printing/settings.hpp"

namespace fulfil::daemon {

// Reads [printing] with [printing.returns] and [[printing.printers]] into `out`; problems go
// to `errors` as "file:line: key: what".
void parse_printing(const toml::table* table, const std::string& file,
                    std::vector<std::string>& errors, printing::PrintSettings& out,
                    std::int64_t& interval_seconds);

// The [printing] part of the effective configuration, as TOML.
std::string describe_printing(const printing::PrintSettings& s, std::int64_t interval_seconds);

}  // namespace fulfil::daemon
