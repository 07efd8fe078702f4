#pragma once
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace fulfil::daemon {

struct Config;

// The command line: global options, then a command and its options.
struct CliOptions {
  std::optional<std::filesystem::path> config;     // --config FILE (default: embedded)
  std::optional<std::filesystem::path> secrets;    // --secrets FILE
  std::optional<std::string> store_url;            // --store URL (overrides [store].url)
  std::optional<std::string> http_listen;          // --listen HOST:PORT (overrides [http].listen)
  std::optional<std::string> log_level;            // --log-level LEVEL
  std::optional<std::filesystem::path> port_file;  // --port-file FILE: bound HTTP port written here
  std::string command;  // run | check-config | sync | import-csv | migrate | reconcile | review |
                        // stock | waybill | label | printer | return |
                        // keygen | help | version
  bool once = false;    // sync --once
  std::string shop;     // --shop NAME
  std::optional<std::filesystem::path> file;  // import-csv FILE
  bool skip_bad_rows = false;                 // import-csv --skip-bad-rows
  std::string day;                            // reconcile --day YYYY-MM-DD
  std::string subcommand;                     // review stats|shortage; stock load; waybill ...;
                                              // help: the command asked about
  std::string courier;                        // waybill pool import CODE
  std::string range;                          // --range FIRST-LAST
  std::string tid;                            // label preview TID
  std::string kind = "waybill";               // label preview --kind waybill|packing_list
  std::string format = "pdf";                 // label preview --format pdf|png
  std::optional<std::filesystem::path> out;   // label preview --out FILE
  std::string code;                           // return scan|check-in|match CODE; return show ID
  std::string user;                           // --user NAME (who acts)
  std::string condition = "fine";             // return check-in --condition
  std::string state;                          // return list --state
  bool unidentified = false;                  // return check-in --unidentified
  std::optional<std::filesystem::path> form;  // return check-in|match --form FILE (JSON)
  std::string name;                           // user ... NAME, token add|revoke NAME
  std::string role;                           // user add|roles, token add --role ROLE[,ROLE]
  std::optional<std::filesystem::path> password_file;  // user add|passwd --password-file FILE
};

// Exit statuses of every command.
constexpr int k_exit_ok = 0, k_exit_failed = 1, k_exit_usage = 2, k_exit_bad_rows = 3;

// One form of a command as `fulfild --help` shows it: how it is called and what it does.
struct CommandUsage {
  std::vector<std::string_view> synopsis;  // continuation lines carry their own indent
  std::vector<std::string_view> help;
};

// A command of the command line: its help, how its words are read and what it runs. The
// table (command_table()) holds the core's commands and every capability's.
struct Command {
  std::string_view name;
  std::vector<CommandUsage> usage;
  // Takes the words after the command's name into `options`; an error says what it takes.
  // Null: the command takes no words.
  std::function<Result<void>(const std::vector<std::string>& words, CliOptions& options)> parse;
  // Runs it with the loaded config (null when `needs_config` is false); returns the exit
  // status. Null for the commands App runs itself (run, version).
  std::function<int(const CliOptions& options, const Config* config)> run;
  bool needs_config = true;
  // Whether the shops' secrets must be there: only for commands that call the platform;
  // an admin adding a user on a machine without them is not refused.
  bool needs_secrets = true;
};

// For a command's parse: refuses words left over ("unexpected argument X").
Result<void> no_more_words(const std::vector<std::string>& words, std::size_t used = 0);

// Every command: the core's (run, check-config, migrate, cluster, version) and each
// capability's, in the order --help lists them (capabilities.cpp).
const std::vector<Command>& command_table();

// Parses argv; unknown options and missing values are errors that say which.
Result<CliOptions> parse_cli(int argc, const char* const* argv);

// The help text, made from the command table (cli.cpp).
std::string usage();
// The commands, from the same table, and "help".
std::vector<std::string> command_names();
// The name among `names` closest to a mistyped `word` (within two edits, or one `word`
// begins); empty when none is near.
std::string closest(std::string_view word, const std::vector<std::string>& names);

// The help text of one command (its usage lines and the global options); empty when there
// is no such command.
std::string usage_of(std::string_view command);

}  // namespace fulfil::daemon
