#include "platform/http_client.hpp"

#include <curl/curl.h>

#include <csignal>
#include <mutex>

namespace fulfil::platform {

namespace {

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    // With CURLOPT_NOSIGNAL a dead peer can raise SIGPIPE: ignore it process-wide.
    std::signal(SIGPIPE, SIG_IGN);
  });
}

struct Sink {
  std::string* body;
  std::size_t limit;
  bool overflow = false;
};

std::size_t on_data(char* data, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  if (sink->body->size() + size * n > sink->limit) {
    sink->overflow = true;
    return 0;  // aborts the transfer
  }
  sink->body->append(data, size * n);
  return size * n;
}

}  // namespace

CurlHttpClient::CurlHttpClient(HttpSettings settings) : m_settings(std::move(settings)) {
  global_init_once();
  m_curl = curl_easy_init();
}

CurlHttpClient::~CurlHttpClient() {
  curl_easy_cleanup(static_cast<CURL*>(m_curl));
}

Result<HttpResponse> CurlHttpClient::post(const std::string& url, std::string_view content_type,
                                          std::string_view body) {
  auto* curl = static_cast<CURL*>(m_curl);
  if (!curl) return fail(ErrorKind::internal, "libcurl handle could not be created");
  HttpResponse response;
  Sink sink{&response.body, m_settings.max_body_bytes};
  std::string header = "Content-Type: " + std::string(content_type);
  curl_slist* headers = curl_slist_append(nullptr, header.c_str());
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(m_settings.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_settings.total_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, m_settings.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // gzip when the server offers it
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(headers);
  if (sink.overflow)
    return fail(ErrorKind::invalid_input, "response from " + url + " is larger than " +
                                              std::to_string(m_settings.max_body_bytes) + " bytes");
  if (rc == CURLE_OPERATION_TIMEDOUT)
    return fail(ErrorKind::timeout, "no answer from " + url + " in time");
  if (rc != CURLE_OK) return fail(ErrorKind::network, url + ": " + curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace fulfil::platform
