#pragma once
#include <toml++/toml.h>

#include <string>
#include <vector>

#include "aftersale/settings.hpp"

namespace fulfil::daemon {

// Reads [aftersale] into `out`; problems go to `errors` as "file:line: key: what".
void parse_aftersale(const toml::table* table, const std::string& file,
                     std::vector<std::string>& errors, aftersale::AftersaleSettings& out);

// The [aftersale] part of the effective configuration, as TOML.
std::string describe_aftersale(const aftersale::AftersaleSettings& s);

}  // namespace fulfil::daemon
