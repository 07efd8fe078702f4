#pragma once
// What the fuzz targets share: the input cut into parts, and an HTTP client whose every
// answer is the fuzzer's bytes, so a real client (TOP, SF, Cainiao) reads them as it would
// read a server's.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "outbound/http_client.hpp"

namespace fulfil::fuzz {

// The fuzzer's bytes, read front to back.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size)
      : m_rest(reinterpret_cast<const char*>(data), size) {}
  // One byte (0 once the input is used up): picks which parser a run goes to.
  std::uint8_t byte() {
    if (m_rest.empty()) return 0;
    const auto b = static_cast<std::uint8_t>(m_rest.front());
    m_rest.remove_prefix(1);
    return b;
  }
  // The bytes up to the next `separator` (or the end), which is consumed.
  std::string_view part(char separator = '\0') {
    const auto at = m_rest.find(separator);
    const auto out = m_rest.substr(0, at);
    m_rest.remove_prefix(at == std::string_view::npos ? m_rest.size() : at + 1);
    return out;
  }
  std::string_view rest() const { return m_rest; }

 private:
  std::string_view m_rest;
};

// Answers every request with `body` and the status given, at once, on the caller's thread.
class CannedHttp final : public outbound::HttpClient {
 public:
  CannedHttp(std::string body, int status = 200) : m_body(std::move(body)), m_status(status) {}
  void start(outbound::HttpRequest, outbound::HttpCallback done) override;

 private:
  std::string m_body;
  int m_status;
};

// Quiets the log: the targets feed thousands of bad inputs a second, each logged otherwise.
// Every target calls it first (the default LLVMFuzzerInitialize).
void quiet_log();

}  // namespace fulfil::fuzz
