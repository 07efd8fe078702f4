#include "capabilities/aftersale/aftersale_config.hpp"

#include <sstream>

#include "common/toml_reader.hpp"

namespace fulfil::daemon {

namespace {

bool zmq_endpoint(const std::string& e) {
  return e.starts_with("tcp://") || e.starts_with("ipc://") || e.starts_with("inproc://");
}

}  // namespace

void parse_aftersale(const toml::table* table, const std::string& file,
                     std::vector<std::string>& errors, aftersale::AftersaleSettings& out) {
  if (!table) return;
  TableReader r(*table, "aftersale", file, errors);
  auto& c = out.channel;
  c.service_endpoint = r.text("service_endpoint", "");
  if (!c.service_endpoint.empty() && !zmq_endpoint(c.service_endpoint))
    r.error_at(r.node("service_endpoint"), "service_endpoint",
               "expected tcp://host:port or ipc://path");
  c.status_bind = r.text("status_bind", "");
  if (!c.status_bind.empty() && !zmq_endpoint(c.status_bind))
    r.error_at(r.node("status_bind"), "status_bind", "expected tcp://host:port or ipc://path");
  c.curve = r.boolean("curve", true);
  c.secret_key_file = r.text("secret_key_file", "");
  c.service_public_key_file = r.text("service_public_key_file", "");
  c.subscriber_keys_dir = r.text("subscriber_keys_dir", "");
  if (c.curve && (!c.service_endpoint.empty() || !c.status_bind.empty()) &&
      c.secret_key_file.empty())
    r.error_at(r.node("curve"), "secret_key_file",
               "CURVE needs our secret key (fulfild keygen makes one), or curve = false");
  if (c.curve && !c.service_endpoint.empty() && c.service_public_key_file.empty())
    r.error_at(r.node("service_endpoint"), "service_public_key_file",
               "CURVE needs the service module's public key");
  if (c.curve && !c.status_bind.empty() && c.subscriber_keys_dir.empty())
    r.error_at(r.node("status_bind"), "subscriber_keys_dir",
               "CURVE needs the folder of subscribers' *.pub keys");
  c.window = static_cast<int>(r.integer("window", 1000, 1, 100000));
  c.ack_timeout_ms = static_cast<int>(r.integer("ack_timeout_ms", 3000, 10, 600000));
  c.max_backoff_ms = static_cast<int>(r.integer("max_backoff_ms", 60000, 10, 3600000));
  c.heartbeat_ms = static_cast<int>(r.integer("heartbeat_ms", 1000, 100, 60000));
  c.poll_ms = static_cast<int>(r.integer("poll_ms", 50, 1, 10000));
  c.feed_poll_ms = static_cast<int>(r.integer("feed_poll_ms", 200, 10, 60000));
  out.returns.restock_fine = r.boolean("restock_fine", true);
  out.returns.accept_before_print = r.boolean("accept_before_print", true);
  r.finish();
}

std::string describe_aftersale(const aftersale::AftersaleSettings& s) {
  const auto& c = s.channel;
  std::ostringstream o;
  o << "\n[aftersale]\nservice_endpoint = " << toml_quoted(c.service_endpoint)
    << "\nstatus_bind = " << toml_quoted(c.status_bind)
    << "\ncurve = " << (c.curve ? "true" : "false")
    << "\nsecret_key_file = " << toml_quoted(c.secret_key_file)
    << "\nservice_public_key_file = " << toml_quoted(c.service_public_key_file)
    << "\nsubscriber_keys_dir = " << toml_quoted(c.subscriber_keys_dir) << "\nwindow = " << c.window
    << "\nack_timeout_ms = " << c.ack_timeout_ms << "\nmax_backoff_ms = " << c.max_backoff_ms
    << "\nheartbeat_ms = " << c.heartbeat_ms << "\npoll_ms = " << c.poll_ms
    << "\nfeed_poll_ms = " << c.feed_poll_ms
    << "\nrestock_fine = " << (s.returns.restock_fine ? "true" : "false")
    << "\naccept_before_print = " << (s.returns.accept_before_print ? "true" : "false") << "\n";
  return o.str();
}

}  // namespace fulfil::daemon
