#pragma once
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace fulfil::platform {

struct HttpResponse {
  int status = 0;
  std::string body;
};

// Outbound HTTP, injected so that every client can be pointed at a simulator.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // POSTs body with the given content type. Transport failures come back as network or
  // timeout errors; any HTTP status is a successful Result (the caller judges it).
  virtual Result<HttpResponse> post(const std::string& url, std::string_view content_type,
                                    std::string_view body) = 0;
};

struct HttpSettings {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{30000};  // libcurl has none by default
  std::size_t max_body_bytes = 64 * 1024 * 1024;   // an absurd answer is an error, not OOM
  std::string user_agent = "fulfild/0.1";
};

// libcurl easy handle kept between calls so connections are reused (keep-alive).
// One instance per thread.
class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(HttpSettings settings);
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;
  Result<HttpResponse> post(const std::string& url, std::string_view content_type,
                            std::string_view body) override;

 private:
  HttpSettings m_settings;
  void* m_curl;
};

}  // namespace fulfil::platform
