#pragma once
#include <string>
#include <vector>

#include "common/toml_reader.hpp"
#include "config.hpp"

namespace fulfil::daemon {

// Reads [sync] (windows, pages, retries, the HTTP client's timeouts, reconcile_at) and
// [[shops]] (each shop and where its orders come from); problems go to `errors` as
// "file:line: key: what". Secrets in a shop are refused: they come from the secrets file.
void read_sync(TableReader& top, const std::string& file, std::vector<std::string>& errors,
               Config& config);

// [sync] and [[shops]] of the effective configuration, as TOML, secrets masked.
std::string describe_sync(const Config& config);

}  // namespace fulfil::daemon
