// After-sale: owns [aftersale] (the ZeroMQ channel and returns; a reload does not restart
// the channel), the return and slip tables, the channel (ZAP handler, slip sender, status
// feed: started before the port is bound, stopped last), the return routes, the outbox's
// part of /healthz, and the return and keygen commands.
#include "capabilities/aftersale/aftersale_capability.hpp"

#include <optional>

#include "aftersale/curve_keys.hpp"
#include "aftersale/migrations.hpp"
#include "capabilities/aftersale/aftersale_commands.hpp"
#include "capabilities/aftersale/aftersale_config.hpp"
#include "capabilities/aftersale/aftersale_runtime.hpp"
#include "capabilities/aftersale/return_routes.hpp"

namespace fulfil::daemon {

namespace {

bool channel_configured(const aftersale::ChannelSettings& s) {
  return !s.service_endpoint.empty() || !s.status_bind.empty();
}

class AftersaleCapability final : public Capability {
 public:
  std::string_view name() const override { return "aftersale"; }
  std::vector<ConfigSection> config_sections() const override {
    return {{"aftersale", Reload::restart,
             [](TableReader& top, const std::string& file, std::vector<std::string>& errors,
                Config& c) { parse_aftersale(top.table("aftersale"), file, errors, c.aftersale); },
             [](const Config& c) { return describe_aftersale(c.aftersale); }}};
  }
  std::vector<store::MigrationSet> migrations() const override {
    return {aftersale::migration_set()};
  }
  std::vector<Command> commands() const override { return aftersale_commands(); }
  // The CURVE key files the channel loads at start.
  void check_startable(const Config& c, std::vector<std::string>& errors) const override {
    const auto& s = c.aftersale.channel;
    if (!s.curve || !channel_configured(s)) return;
    auto note = [&](const auto& loaded, std::string_view key) {
      if (!loaded)
        errors.push_back("aftersale." + std::string(key) + ": " + loaded.error().message);
    };
    note(aftersale::load_secret_key(s.secret_key_file), "secret_key_file");
    if (!s.service_endpoint.empty())
      note(aftersale::load_public_key(s.service_public_key_file), "service_public_key_file");
    if (!s.status_bind.empty())
      note(aftersale::load_public_keys(s.subscriber_keys_dir), "subscriber_keys_dir");
  }

  // A channel that was configured and cannot run (keys, ZAP, the feed's bind) stops the start.
  Result<void> start(const Config& c) override {
    if (!channel_configured(c.aftersale.channel)) return {};
    auto& s = services();
    auto rt =
        AftersaleRuntime::start(c.aftersale.channel, s.store.url(), s.state.instance_id, s.clock);
    if (!rt) return std::unexpected(rt.error());
    m_channel = std::move(*rt);
    return {};
  }
  std::vector<api::Route> routes() override { return return_routes().routes(); }
  void health(boost::json::object& out, bool& degraded) override {
    out["aftersale"] = return_routes().health(degraded);
  }
  // Slips not yet acknowledged stay in the outbox for the next start.
  void stop() override { m_channel.reset(); }

 private:
  api::ReturnRoutes& return_routes() {
    auto& s = services();
    if (!m_routes)
      m_routes.emplace(s.store, s.clock, [this, settings = s.live.section(&Config::aftersale)] {
        api::AftersaleContext ctx{settings(), {}};
        if (m_channel)
          ctx.channel = [rt = m_channel.get()] {
            return std::optional<aftersale::ChannelStatus>(rt->status());
          };
        return ctx;
      });
    return *m_routes;
  }
  std::unique_ptr<AftersaleRuntime> m_channel;
  std::optional<api::ReturnRoutes> m_routes;
};

}  // namespace

std::unique_ptr<Capability> make_aftersale_capability() {
  return std::make_unique<AftersaleCapability>();
}

}  // namespace fulfil::daemon
