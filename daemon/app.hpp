#pragma once
#include "cli.hpp"
#include "config.hpp"

namespace fulfil::daemon {

// The one place that knows every module: loads the config, opens the store, wires the
// platform sync, CSV inbox, scheduler and HTTP API, and runs a command.
class App {
 public:
  explicit App(CliOptions options) : m_options(std::move(options)) {}
  // Runs the command; returns the process exit status.
  int main();

 private:
  Result<Config> load() const;
  int run_daemon(Config config);
  int check_config();
  int sync_once(const Config& config);
  int import_csv(const Config& config);
  int migrate_only(const Config& config);
  int reconcile(const Config& config);
  int review_command(const Config& config);
  int stock_command(const Config& config);
  int waybill_command(const Config& config);
  int label_command(const Config& config);
  int printer_command(const Config& config);
  int cluster_command(const Config& config);
  int return_command(const Config& config);
  int keygen_command();
  std::string instance_id(const Config& config) const;
  CliOptions m_options;
};

// Entry point for main(): parses the command line and runs App; exceptions that escape
// everything else are caught and logged here.
int run_main(int argc, const char* const* argv);

}  // namespace fulfil::daemon
