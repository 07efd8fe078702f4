#include "api/host_check.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>

namespace fulfil::daemon::api {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The host without its port ("[::1]:8080" -> "::1", "a.b:80" -> "a.b").
std::string_view without_port(std::string_view host) {
  if (host.starts_with('[')) {
    const auto close = host.find(']');
    return close == std::string_view::npos ? std::string_view() : host.substr(1, close - 1);
  }
  const auto colon = host.rfind(':');
  if (colon == std::string_view::npos) return host;
  const auto port = host.substr(colon + 1);
  if (!std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::string_view();
  return host.substr(0, colon);
}

}  // namespace

bool host_allowed(std::string_view host, const std::vector<std::string>& names) {
  if (host.empty()) return true;
  const std::string name = lower(without_port(host));
  if (name.empty()) return false;
  boost::system::error_code ec;
  boost::asio::ip::make_address(name, ec);
  if (!ec || name == "localhost") return true;
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return lower(n) == name; });
}

bool is_loopback(std::string_view address) {
  const std::string name = lower(address);
  if (name == "localhost") return true;
  boost::system::error_code ec;
  auto ip = boost::asio::ip::make_address(name, ec);
  return !ec && ip.is_loopback();
}

}  // namespace fulfil::daemon::api
