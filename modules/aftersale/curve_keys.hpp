#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "common/error.hpp"

namespace fulfil::aftersale {

// A CURVE key pair, each key in Z85 (40 characters).
struct KeyPair {
  std::string public_z85, secret_z85;
};

// Reads our key pair from a secret certificate (ZeroMQ's zcert format: lines
// `public-key = "..."` and `secret-key = "..."`). Refused, naming the file, when group or
// others may read it: a secret anyone can read authenticates anyone.
Result<KeyPair> load_secret_key(const std::filesystem::path& file);
// Reads a public key: a zcert public certificate or one Z85 line.
Result<std::string> load_public_key(const std::filesystem::path& file);
// Every public key in the *.pub files of `dir` (who may connect).
Result<std::vector<std::string>> load_public_keys(const std::filesystem::path& dir);
// A fresh key pair from libzmq.
Result<KeyPair> generate_key_pair();
// Writes `<stem>.key` (secret, mode 0600) and `<stem>.pub` (public, 0644) in zcert format.
Result<void> write_key_pair(const std::filesystem::path& stem, const KeyPair& keys);

// Makes a socket the CURVE server side (it binds; clients are checked by the ZAP handler,
// which must already run in the socket's context).
void make_curve_server(zmq::socket_t& s, const KeyPair& ours, const std::string& zap_domain);
// Makes a socket a CURVE client of the server whose public key is `server_public`.
void make_curve_client(zmq::socket_t& s, const KeyPair& ours, const std::string& server_public);

}  // namespace fulfil::aftersale
