#include "aftersale/curve_keys.hpp"

#include <sys/stat.h>

#include <array>
#include <fstream>
#include <sstream>

#include "common/timeutil.hpp"

namespace fulfil::aftersale {

namespace fs = std::filesystem;

namespace {

bool valid_z85_key(const std::string& k) {
  if (k.size() != 40) return false;
  std::array<std::uint8_t, 32> raw{};
  return zmq_z85_decode(raw.data(), k.c_str()) != nullptr;
}

Result<std::string> read_text(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return fail(ErrorKind::config, file.string() + ": cannot read the key file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The value of `name = "..."` in zcert text, or a bare Z85 line when `name` is public-key.
std::string field(const std::string& text, std::string_view name) {
  std::istringstream in(text);
  std::string line, bare;
  while (std::getline(in, line)) {
    const auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    line = line.substr(start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.starts_with(name)) {
      const auto q1 = line.find('"'), q2 = line.rfind('"');
      if (q1 != std::string::npos && q2 > q1) return line.substr(q1 + 1, q2 - q1 - 1);
    }
    // A bare key is one line of 40 Z85 characters, '=' among them (a Z85 digit).
    if (valid_z85_key(line)) bare = line;
  }
  return name == "public-key" ? bare : std::string();
}

}  // namespace

Result<KeyPair> load_secret_key(const fs::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0)
    return fail(ErrorKind::config, file.string() + ": no such key file");
  if ((st.st_mode & 077) != 0) {
    std::ostringstream mode;
    mode << std::oct << (st.st_mode & 0777);
    return fail(ErrorKind::config, file.string() +
                                       ": secret key readable by group or others (mode 0" +
                                       mode.str() + "); chmod 600 it");
  }
  auto text = read_text(file);
  if (!text) return std::unexpected(text.error());
  KeyPair k{field(*text, "public-key"), field(*text, "secret-key")};
  if (!valid_z85_key(k.secret_z85))
    return fail(ErrorKind::config,
                file.string() + ": no secret-key = \"<40 Z85 characters>\" line in it");
  // The public key follows from the secret one; a file without it (or with another) is
  // mended rather than trusted.
  std::array<char, 41> pub{};
  if (zmq_curve_public(pub.data(), k.secret_z85.c_str()) != 0)
    return fail(ErrorKind::config, file.string() + ": the secret key is not a CURVE key");
  k.public_z85 = pub.data();
  return k;
}

Result<std::string> load_public_key(const fs::path& file) {
  auto text = read_text(file);
  if (!text) return std::unexpected(text.error());
  std::string k = field(*text, "public-key");
  if (!valid_z85_key(k))
    return fail(ErrorKind::config,
                file.string() + ": no public-key = \"<40 Z85 characters>\" line in it");
  return k;
}

Result<std::vector<std::string>> load_public_keys(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return fail(ErrorKind::config, dir.string() + ": not a folder of *.pub keys");
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".pub") continue;
    auto k = load_public_key(e.path());
    if (!k) return std::unexpected(k.error());
    out.push_back(*k);
  }
  return out;
}

Result<KeyPair> generate_key_pair() {
  std::array<char, 41> pub{}, sec{};
  if (zmq_curve_keypair(pub.data(), sec.data()) != 0)
    return fail(ErrorKind::internal, "libzmq was built without CURVE");
  return KeyPair{pub.data(), sec.data()};
}

Result<void> write_key_pair(const fs::path& stem, const KeyPair& keys) {
  const std::string head =
      "#   ****  Generated on " + format_iso_shanghai(std::time(nullptr)) + " by fulfild  ****\n";
  auto write = [](const fs::path& p, const std::string& text, mode_t mode) -> Result<void> {
    const fs::path tmp = p.string() + ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      if (!out) return fail(ErrorKind::config, tmp.string() + ": cannot write");
    }
    ::chmod(tmp.c_str(), mode);  // before the secret goes in
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    out.close();
    if (!out) return fail(ErrorKind::config, tmp.string() + ": cannot write");
    std::error_code ec;
    fs::rename(tmp, p, ec);
    if (ec) return fail(ErrorKind::config, p.string() + ": " + ec.message());
    return {};
  };
  const std::string pub = head +
                          "#   ZeroMQ CURVE Public Certificate\n"
                          "#   Exchange securely, or use a secure mechanism to verify the "
                          "contents\n#   of this file after exchange.\n\nmetadata\ncurve\n"
                          "    public-key = \"" +
                          keys.public_z85 + "\"\n";
  const std::string sec = head +
                          "#   ZeroMQ CURVE **Secret** Certificate\n"
                          "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its "
                          "permissions.\n\nmetadata\ncurve\n    public-key = \"" +
                          keys.public_z85 + "\"\n    secret-key = \"" + keys.secret_z85 + "\"\n";
  if (auto r = write(stem.string() + ".key", sec, 0600); !r) return r;
  return write(stem.string() + ".pub", pub, 0644);
}

void make_curve_server(zmq::socket_t& s, const KeyPair& ours, const std::string& zap_domain) {
  s.set(zmq::sockopt::curve_server, 1);
  s.set(zmq::sockopt::curve_secretkey, ours.secret_z85);
  s.set(zmq::sockopt::zap_domain, zap_domain);
}

void make_curve_client(zmq::socket_t& s, const KeyPair& ours, const std::string& server_public) {
  s.set(zmq::sockopt::curve_serverkey, server_public);
  s.set(zmq::sockopt::curve_publickey, ours.public_z85);
  s.set(zmq::sockopt::curve_secretkey, ours.secret_z85);
}

}  // namespace fulfil::aftersale
