#include "core_commands.hpp"

#include <cstdio>
#include <iostream>

#include "cluster.hpp"
#include "command_support.hpp"
#include "common/timeutil.hpp"
#include "store/cluster_repository.hpp"
#include "store/migrations.hpp"

namespace fulfil::daemon {

namespace {

int migrate_only(const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  std::cout << "store schema version " << store::latest_schema_version() << "\n";
  return k_exit_ok;
}

int cluster_command(const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  SystemClock clock;
  store::ClusterRepository repo(*conn);
  auto members = repo.alive(clock.now(), Cluster::k_member_ttl_seconds);
  auto leases = repo.leases(clock.now());
  if (!members || !leases) {
    std::cerr << "fulfild: " << (members ? leases.error() : members.error()).message << "\n";
    return k_exit_failed;
  }
  std::vector<std::string> shops, ids;
  for (const auto& s : config.shops) shops.push_back(s.name);
  for (const auto& m : *members) ids.push_back(m.instance);
  std::printf("%-20s %-20s %8s  %-19s  %s\n", "instance", "host", "pid", "last seen", "shops");
  for (const auto& m : *members) {
    std::string mine;
    for (const auto& shop : shops)
      if (shop_owner(shop, shops, ids) == m.instance) mine += (mine.empty() ? "" : " ") + shop;
    std::printf("%-20s %-20s %8lld  %-19s  %s\n", m.instance.c_str(), m.host.c_str(),
                static_cast<long long>(m.pid), format_gmt8(m.seen_at).c_str(), mine.c_str());
  }
  if (members->empty())
    std::printf("(no daemon has beaten in the last %llds)\n",
                static_cast<long long>(Cluster::k_member_ttl_seconds));
  std::printf("\n%-32s %-20s %s\n", "lease", "holder", "until");
  for (const auto& l : *leases)
    std::printf("%-32s %-20s %s\n", l.name.c_str(), l.holder.c_str(),
                format_gmt8(l.expires_at).c_str());
  return k_exit_ok;
}

int check_config(const CliOptions& o) {
  auto config = load_effective_config(o);
  if (config) {
    // "OK" means `run` starts: what it opens before binding is opened here too.
    if (auto startable = check_startable(*config); !startable)
      config = std::unexpected(startable.error());
  }
  if (!config) {
    std::cerr << "fulfild: config is not valid:\n" << config.error().message << "\n";
    return k_exit_usage;
  }
  for (const auto& w : config_warnings(*config)) std::cerr << "fulfild: warning: " << w << "\n";
  std::cout << describe(*config);
  return k_exit_ok;
}

}  // namespace

std::vector<Command> core_commands_first() {
  return {
      {"run", {{{"run"}, {"run the daemon (sync, imports, HTTP API) until SIGTERM"}}}},
      {"check-config",
       {{{"check-config"}, {"validate the config and print it in effect, secrets masked"}}},
       nullptr,
       [](const CliOptions& o, const Config*) { return check_config(o); },
       false},
  };
}

std::vector<Command> core_commands_last() {
  return {
      {"migrate",
       {{{"migrate"}, {"apply store migrations and exit"}}},
       nullptr,
       [](const CliOptions&, const Config* c) { return migrate_only(*c); }},
      {"cluster",
       {{{"cluster status"}, {"the daemons sharing the store, the shops each syncs, the leases"}}},
       [](const auto& words, CliOptions& o) -> Result<void> {
         if (words.size() != 1 || words[0] != "status")
           return fail(ErrorKind::config, "cluster takes status");
         o.subcommand = words[0];
         return {};
       },
       [](const CliOptions&, const Config* c) { return cluster_command(*c); }},
      {"version", {{{"version"}, {"print the version"}}}},
  };
}

}  // namespace fulfil::daemon
