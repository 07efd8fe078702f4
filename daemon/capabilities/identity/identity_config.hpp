#pragma once
#include <toml++/toml.h>

#include <string>
#include <vector>

#include "identity/login_settings.hpp"

namespace fulfil::daemon {

// Reads [identity] into `out`; problems go to `errors` as "file:line: key: what".
void parse_identity(const toml::table* table, const std::string& file,
                    std::vector<std::string>& errors, identity::LoginSettings& out);

// The [identity] part of the effective configuration, as TOML.
std::string describe_identity(const identity::LoginSettings& s);

}  // namespace fulfil::daemon
