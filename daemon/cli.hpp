#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "common/error.hpp"

namespace fulfil::daemon {

// The command line: global options, then a command and its options.
struct CliOptions {
  std::optional<std::filesystem::path> config;     // --config FILE (default: embedded)
  std::optional<std::filesystem::path> secrets;    // --secrets FILE
  std::optional<std::string> store_url;            // --store URL (overrides [store].url)
  std::optional<std::string> http_listen;          // --listen HOST:PORT (overrides [http].listen)
  std::optional<std::string> log_level;            // --log-level LEVEL
  std::optional<std::filesystem::path> port_file;  // --port-file FILE: bound HTTP port written here
  std::string command;  // run | check-config | sync | import-csv | migrate | reconcile | review |
                        // stock | help | version
  bool once = false;    // sync --once
  std::string shop;     // --shop NAME
  std::optional<std::filesystem::path> file;  // import-csv FILE
  std::string day;                            // reconcile --day YYYY-MM-DD
  std::string subcommand;                     // review stats|shortage; stock load; waybill ...
  std::string courier;                        // waybill pool import CODE
  std::string range;                          // --range FIRST-LAST
  std::string tid;                            // label preview TID
  std::string kind = "waybill";               // label preview --kind waybill|packing_list
  std::string format = "pdf";                 // label preview --format pdf|png
  std::optional<std::filesystem::path> out;   // label preview --out FILE
};

// Parses argv; unknown options and missing values are errors that say which.
Result<CliOptions> parse_cli(int argc, const char* const* argv);

// The help text.
std::string usage();

}  // namespace fulfil::daemon
