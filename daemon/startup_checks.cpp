#include "startup_checks.hpp"

#include "aftersale/curve_keys.hpp"
#include "printing_runtime.hpp"

namespace fulfil::daemon {

namespace {

void check_printing(const Config& c, std::vector<std::string>& errors) {
  if (!c.printing.enabled || c.printing.printers.empty()) return;
  if (auto rt = PrintingRuntime::start(c.printing); !rt) errors.push_back(rt.error().message);
}

void check_aftersale_keys(const aftersale::ChannelSettings& s, std::vector<std::string>& errors) {
  if (!s.curve || (s.service_endpoint.empty() && s.status_bind.empty())) return;
  auto note = [&](const auto& loaded, std::string_view key) {
    if (!loaded) errors.push_back("aftersale." + std::string(key) + ": " + loaded.error().message);
  };
  note(aftersale::load_secret_key(s.secret_key_file), "secret_key_file");
  if (!s.service_endpoint.empty())
    note(aftersale::load_public_key(s.service_public_key_file), "service_public_key_file");
  if (!s.status_bind.empty())
    note(aftersale::load_public_keys(s.subscriber_keys_dir), "subscriber_keys_dir");
}

}  // namespace

Result<void> check_startable(const Config& config) {
  std::vector<std::string> errors;
  check_printing(config, errors);
  check_aftersale_keys(config.aftersale.channel, errors);
  if (errors.empty()) return {};
  std::string message;
  for (const auto& e : errors) message += (message.empty() ? "" : "\n") + e;
  return fail(ErrorKind::config, message);
}

}  // namespace fulfil::daemon
