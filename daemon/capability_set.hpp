#pragma once
#include <memory>
#include <vector>

#include "capability.hpp"

namespace fulfil::daemon {

// The capabilities of one daemon (or tool), in the order of the list (capabilities.cpp):
// they start in that order and stop in the reverse one. The core talks to them only here.
class CapabilitySet {
 public:
  CapabilitySet(std::vector<std::unique_ptr<Capability>> list, Services& services);
  ~CapabilitySet();  // stops what was started
  CapabilitySet(const CapabilitySet&) = delete;
  CapabilitySet& operator=(const CapabilitySet&) = delete;

  // Starts each in order; the first that cannot start stops those before it and names
  // itself in the error.
  Result<void> start(const Config& config);
  // Every capability prepares for `fresh`, then all commit; one that cannot keeps the
  // running config (nothing is swapped).
  Result<void> reload(const Config& fresh);
  // The sections a reload from `running` to `fresh` changed that apply only after a restart.
  std::vector<std::string> restart_only_changes(const Config& running, const Config& fresh) const;
  std::vector<Job> jobs(const std::shared_ptr<const Config>& config);
  std::vector<api::Route> routes();
  void health(boost::json::object& out, bool& degraded);
  void stop();

 private:
  std::vector<std::unique_ptr<Capability>> m_list;
  std::size_t m_started = 0;
};

}  // namespace fulfil::daemon
