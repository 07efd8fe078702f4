#pragma once
#include <boost/json/object.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/process_state.hpp"
#include "api/route_table.hpp"
#include "cli.hpp"
#include "common/cancellation.hpp"
#include "common/clock.hpp"
#include "common/toml_reader.hpp"
#include "config.hpp"
#include "live_config.hpp"
#include "outbound/http_client.hpp"
#include "scheduler.hpp"
#include "store/migrations.hpp"
#include "store_access.hpp"

namespace fulfil::daemon {

// Whether a SIGHUP reload applies a section's new values to the running daemon, or they wait
// for the next start (a warning says so).
enum class Reload { live, restart };

// A capability's part of the config file: one default per key, written once, in its reader.
struct ConfigSection {
  std::string name;  // its top-level table(s), as messages name them: "review", "sync, shops"
  Reload reload = Reload::live;
  // Reads its tables of `top` into `config`; every problem goes to `errors` as
  // "file:line: key: what". Sections are read in the order of the capability list, so one
  // may check against an earlier one (review's slices against sync's shops).
  std::function<void(TableReader& top, const std::string& file, std::vector<std::string>& errors,
                     Config& config)>
      read;
  // Its part of the effective configuration, as TOML (secrets masked).
  std::function<std::string(const Config&)> describe;
  // What a valid config leaves undone, "file: key: what" (check-config prints, run logs).
  std::function<void(const Config&, std::vector<std::string>& warnings)> warnings = nullptr;
};

// A job the scheduler runs: `first_delay` after the store is ready, then `next_delay()` after
// each run ends (a job never overlaps itself).
struct Job {
  std::string name;
  std::chrono::milliseconds first_delay;
  Scheduler::NextDelay next_delay;
  std::function<void()> body;
};

// What the core lends every capability of a running daemon (or of a tool that only builds
// the API). Outlives the capabilities.
struct Services {
  StoreAccess& store;
  const Clock& clock;
  const LiveConfig& live;
  api::ProcessState& state;
  // The daemon's one HTTP client, on its event loop; null where only routes are built.
  outbound::HttpClient* http = nullptr;
  // Cancelled at shutdown: long jobs stop between pages.
  Cancellation* cancel = nullptr;
};

// One capability of the daemon (sync, review, shipping, ...): everything it adds to the core,
// declared in one object in its own folder under daemon/capabilities/. The core calls, in
// this order: check_startable (check-config) or start (run, before the port is bound),
// routes, jobs (when the store is ready, and again after each reload), health on every
// /healthz, stop at exit. Every hook has a default that adds nothing.
class Capability {
 public:
  virtual ~Capability() = default;
  virtual std::string_view name() const = 0;

  // What it declares, without running anything.
  virtual std::vector<ConfigSection> config_sections() const { return {}; }
  virtual std::vector<store::MigrationSet> migrations() const { return {}; }
  virtual std::vector<Command> commands() const { return {}; }
  // What `start` opens that parsing cannot see (a font, key files): every problem to
  // `errors`, so that check-config saying OK means the daemon starts.
  virtual void check_startable(const Config&, std::vector<std::string>& /*errors*/) const {}

  // Anything long-lived (printer workers, the ZeroMQ channel), started before the port is
  // bound; an error refuses the start.
  virtual Result<void> start(const Config&) { return {}; }
  // A reload applies whole or not at all: every capability prepares for `fresh` (an error
  // keeps the running config), then all commit.
  virtual Result<void> prepare_reload(const Config& /*fresh*/) { return {}; }
  virtual void commit_reload() {}
  virtual std::vector<Job> jobs(const std::shared_ptr<const Config>&) { return {}; }
  virtual std::vector<api::Route> routes() { return {}; }
  // Its part of /healthz; sets `degraded` when the daemon is not doing all its work.
  virtual void health(boost::json::object& /*out*/, bool& /*degraded*/) {}
  // Stops what start started (after the jobs have finished).
  virtual void stop() {}

 protected:
  Services& services() const { return *m_services; }

 private:
  friend class CapabilitySet;
  Services* m_services = nullptr;
};

}  // namespace fulfil::daemon
