#include "outbound/http_client.hpp"

#include <future>

namespace fulfil::outbound {

Result<HttpResponse> HttpClient::post(HttpRequest request) {
  std::promise<Result<HttpResponse>> answer;
  auto future = answer.get_future();
  start(std::move(request), [&answer](Result<HttpResponse> r) { answer.set_value(std::move(r)); });
  return future.get();
}

Result<HttpResponse> HttpClient::post(const std::string& url, std::string_view content_type,
                                      std::string_view body) {
  return post(HttpRequest{url, std::string(content_type), std::string(body)});
}

std::optional<Error> status_error(const HttpResponse& response, std::string_view what) {
  const std::string where = std::string(what) + ": HTTP " + std::to_string(response.status);
  if (response.status == 200) return std::nullopt;
  if (response.status == 429) return Error{ErrorKind::rate_limited, where};
  if (response.status >= 500) return Error{ErrorKind::remote_retry, where};
  return Error{ErrorKind::remote_reject, where};
}

}  // namespace fulfil::outbound
