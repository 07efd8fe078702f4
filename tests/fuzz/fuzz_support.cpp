#include "fuzz_support.hpp"

#include "common/log.hpp"

namespace fulfil::fuzz {

void CannedHttp::start(outbound::HttpRequest, outbound::HttpCallback done) {
  outbound::HttpResponse response;
  response.status = m_status;
  response.body = m_body;
  done(std::move(response));
}

void quiet_log() {
  log::configure("error");
}

}  // namespace fulfil::fuzz
