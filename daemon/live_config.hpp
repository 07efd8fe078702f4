#pragma once
#include <functional>
#include <memory>
#include <mutex>

#include "config.hpp"

namespace fulfil::daemon {

// The config in force, shared between the event loop (a SIGHUP reload swaps it), the jobs
// and the API threads. A section handed out keeps the whole config it came from alive, so a
// request that started before a reload finishes on the config it started with.
class LiveConfig {
 public:
  explicit LiveConfig(std::shared_ptr<const Config> config) : m_config(std::move(config)) {}
  std::shared_ptr<const Config> get() const {
    std::lock_guard lock(m_mutex);
    return m_config;
  }
  void set(std::shared_ptr<const Config> config) {
    std::lock_guard lock(m_mutex);
    m_config = std::move(config);
  }
  // A source of one section of the config in force (review, shipping, ...).
  template <class Section>
  std::function<std::shared_ptr<const Section>()> section(Section Config::*member) const {
    return [this, member] {
      auto config = get();
      return std::shared_ptr<const Section>(config, &((*config).*member));
    };
  }

 private:
  mutable std::mutex m_mutex;
  std::shared_ptr<const Config> m_config;
};

}  // namespace fulfil::daemon
