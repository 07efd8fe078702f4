#pragma once
#include <memory>

#include "cli.hpp"
#include "config.hpp"

namespace fulfil::daemon {

class CapabilitySet;
class LiveConfig;

// The process: loads the config and runs a command. `run` is the daemon: the core (event
// loop, worker pool, store, cluster, scheduler, HTTP server and router) with the
// capabilities of the list (capabilities.cpp), which the core knows only as Capability.
class App {
 public:
  explicit App(CliOptions options) : m_options(std::move(options)) {}
  // Runs the command; returns the process exit status.
  int main();

 private:
  int run_daemon(Config config);
  // SIGHUP: the config file read again and applied whole, or not at all (the running one
  // stays, with the reason logged). True when `live` holds the new config.
  bool reload(LiveConfig& live, CapabilitySet& capabilities) const;
  CliOptions m_options;
};

// Entry point for main(): parses the command line and runs App; exceptions that escape
// everything else are caught and logged here.
int run_main(int argc, const char* const* argv);

}  // namespace fulfil::daemon
