#include "capability_set.hpp"

#include "common/log.hpp"

namespace fulfil::daemon {

CapabilitySet::CapabilitySet(std::vector<std::unique_ptr<Capability>> list, Services& services)
    : m_list(std::move(list)) {
  for (auto& c : m_list) c->m_services = &services;
}

CapabilitySet::~CapabilitySet() {
  stop();
}

Result<void> CapabilitySet::start(const Config& config) {
  for (; m_started < m_list.size(); ++m_started) {
    auto& c = *m_list[m_started];
    if (auto r = c.start(config); !r) {
      stop();
      log::error(std::string(c.name()) + " cannot start", {{"error", r.error().message}});
      return std::unexpected(r.error());
    }
  }
  return {};
}

Result<void> CapabilitySet::reload(const Config& fresh) {
  for (auto& c : m_list)
    if (auto r = c->prepare_reload(fresh); !r) return std::unexpected(r.error());
  for (auto& c : m_list) c->commit_reload();
  return {};
}

std::vector<std::string> CapabilitySet::restart_only_changes(const Config& running,
                                                             const Config& fresh) const {
  std::vector<std::string> out;
  for (const auto& c : m_list)
    for (const auto& s : c->config_sections())
      if (s.reload == Reload::restart && s.describe(running) != s.describe(fresh))
        out.push_back(s.name);
  return out;
}

std::vector<Job> CapabilitySet::jobs(const std::shared_ptr<const Config>& config) {
  std::vector<Job> out;
  for (auto& c : m_list)
    for (auto& j : c->jobs(config)) out.push_back(std::move(j));
  return out;
}

std::vector<api::Route> CapabilitySet::routes() {
  std::vector<api::Route> out;
  for (auto& c : m_list)
    for (auto& r : c->routes()) out.push_back(std::move(r));
  return out;
}

void CapabilitySet::health(boost::json::object& out, bool& degraded) {
  for (auto& c : m_list) c->health(out, degraded);
}

void CapabilitySet::stop() {
  while (m_started > 0) m_list[--m_started]->stop();
}

}  // namespace fulfil::daemon
