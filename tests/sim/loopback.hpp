#pragma once
#include <boost/asio/ip/tcp.hpp>

namespace fulfil::sim {

// Opens `acceptor` on a free port of 127.0.0.1, listening; returns the port.
inline unsigned short listen_on_loopback(boost::asio::ip::tcp::acceptor& acceptor) {
  const boost::asio::ip::tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), 0);
  acceptor.open(ep.protocol());
  acceptor.set_option(boost::asio::ip::tcp::acceptor::reuse_address(true));
  acceptor.bind(ep);
  acceptor.listen();
  return acceptor.local_endpoint().port();
}

}  // namespace fulfil::sim
