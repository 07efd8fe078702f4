#include "command_support.hpp"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "http/http_server.hpp"
#include "modules.hpp"

namespace fulfil::daemon {

Result<Config> load_effective_config(const CliOptions& o, bool with_secrets) {
  auto c = load_config(o.config);
  if (!c) return c;
  if (o.store_url) {
    if (auto u = store::StoreUrl::parse(*o.store_url); !u) return std::unexpected(u.error());
    c->store_url = *o.store_url;
  }
  if (o.http_listen) {
    if (auto a = http::parse_listen_address(*o.http_listen); !a)
      return std::unexpected(with_context(a.error(), "--listen"));
    c->http_listen = *o.http_listen;
  }
  if (o.log_level) c->log_level = *o.log_level;
  if (!with_secrets) return c;
  if (auto s = apply_secrets(*c, o.secrets, [](const char* k) { return std::getenv(k); }); !s)
    return std::unexpected(s.error());
  return c;
}

std::string instance_id(const Config& c) {
  if (!c.instance_id.empty()) return c.instance_id;
  char host[256] = "host";
  ::gethostname(host, sizeof host - 1);
  return host;
}

Result<std::unique_ptr<store::Connection>> open_migrated(const std::string& url_text) {
  auto url = store::StoreUrl::parse(url_text);
  if (!url) return std::unexpected(url.error());
  auto conn = store::Connection::open(*url, store::Durability::strict);
  if (!conn) return std::unexpected(conn.error());
  auto v = migrate_all(**conn);
  if (!v) return std::unexpected(v.error());
  return std::move(*conn);
}

std::unique_ptr<store::Connection> open_for_command(const Config& config) {
  auto conn = open_migrated(config.store_url);
  if (!conn) {
    command_error(conn.error().message, k_exit_failed);
    return nullptr;
  }
  return std::move(*conn);
}

std::optional<std::string> read_for_command(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    command_error(file.string() + ": cannot be read", k_exit_failed);
    return std::nullopt;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

int command_error(const std::string& message, int status) {
  std::cerr << "fulfild: " << message << "\n";
  return status;
}

}  // namespace fulfil::daemon
