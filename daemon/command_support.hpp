#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "cli.hpp"
#include "config.hpp"
#include "store/database.hpp"

namespace fulfil::daemon {

// The config a command runs with: the file (or the embedded default), then the command
// line's --store, --listen and --log-level, then the secrets.
Result<Config> load_effective_config(const CliOptions& options, bool with_secrets = true);

// This daemon's name among those sharing a store: [daemon] instance_id, or the host name,
// stable across restarts, so a daemon restarted after a crash takes its leases straight back
// instead of waiting for them to expire (several daemons on one host must set instance_id).
std::string instance_id(const Config& config);

// A connection to the store with every capability's tables up to date.
Result<std::unique_ptr<store::Connection>> open_migrated(const std::string& store_url);

// The migrated store for a one-shot command; null, with the reason printed, when it cannot
// be opened.
std::unique_ptr<store::Connection> open_for_command(const Config& config);

// The bytes of a file a command was given; nullopt, with the reason printed, when it cannot
// be read.
std::optional<std::string> read_for_command(const std::filesystem::path& file);

// Prints "fulfild: <message>" on stderr and returns `status`.
int command_error(const std::string& message, int status);

}  // namespace fulfil::daemon
