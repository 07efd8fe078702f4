#include "transport/cups.hpp"

#include <cups/cups.h>

#include <memory>
#include <thread>

namespace fulfil::printers {

namespace {

using Http = std::unique_ptr<http_t, void (*)(http_t*)>;
using Ipp = std::unique_ptr<ipp_t, void (*)(ipp_t*)>;
using SteadyClock = std::chrono::steady_clock;

struct Target {
  std::string host, resource;
  int port = 631;
};

Result<Target> parse_uri(const std::string& uri) {
  char scheme[32], user[256], host[256], resource[1024];
  int port = 0;
  if (httpSeparateURI(HTTP_URI_CODING_ALL, uri.c_str(), scheme, sizeof scheme, user, sizeof user,
                      host, sizeof host, &port, resource, sizeof resource) < HTTP_URI_STATUS_OK)
    return fail(ErrorKind::config, "CUPS URI \"" + uri + "\" does not parse");
  if (std::string_view(scheme) != "ipp" && std::string_view(scheme) != "ipps")
    return fail(ErrorKind::config, "CUPS URI \"" + uri + "\": expected ipp:// or ipps://");
  return Target{host, resource, port};
}

Result<Http> connect(const CupsSettings& s, const Target& t) {
  Http http(httpConnect2(t.host.c_str(), t.port, nullptr, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED,
                         1, static_cast<int>(s.connect_timeout.count()), nullptr),
            httpClose);
  if (!http)
    return fail(ErrorKind::network,
                "CUPS " + s.uri + ": no connection (" + cupsLastErrorString() + ")");
  return http;
}

// IPP wants the target first (printer-uri, then job-id when there is one), then the user.
ipp_t* new_request(ipp_op_t op, const CupsSettings& s, int job_id = 0) {
  ipp_t* r = ippNewRequest(op);
  ippAddString(r, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, s.uri.c_str());
  if (job_id) ippAddInteger(r, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
  ippAddString(r, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, s.user.c_str());
  return r;
}

// The job's state and its reasons ("job-canceled-by-user, document-format-error").
struct JobState {
  ipp_jstate_t state = IPP_JSTATE_PENDING;
  std::string reasons;
};

std::string reasons_of(ipp_t* response) {
  std::string out;
  if (ipp_attribute_t* a = ippFindAttribute(response, "job-state-reasons", IPP_TAG_KEYWORD))
    for (int i = 0; i < ippGetCount(a); ++i)
      out += (out.empty() ? "" : ", ") + std::string(ippGetString(a, i, nullptr));
  return out;
}

Result<JobState> job_state(http_t* http, const CupsSettings& s, const Target& t, int job_id) {
  ipp_t* request = new_request(IPP_OP_GET_JOB_ATTRIBUTES, s, job_id);
  static const char* const k_attrs[] = {"job-state", "job-state-reasons"};
  ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 2, nullptr,
                k_attrs);
  Ipp response(cupsDoRequest(http, request, t.resource.c_str()), ippDelete);
  if (!response || ippGetStatusCode(response.get()) > IPP_STATUS_OK_CONFLICTING)
    return fail(ErrorKind::network, "CUPS " + s.uri + ": job " + std::to_string(job_id) +
                                        " state unknown (" + cupsLastErrorString() + ")");
  JobState js;
  if (ipp_attribute_t* a = ippFindAttribute(response.get(), "job-state", IPP_TAG_ENUM))
    js.state = static_cast<ipp_jstate_t>(ippGetInteger(a, 0));
  js.reasons = reasons_of(response.get());
  return js;
}

}  // namespace

PrintOutcome CupsTransport::print(const std::string& name, std::span<const std::string> parts) {
  auto target = parse_uri(m_s.uri);
  if (!target) return {0, target.error(), 0};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const int done = static_cast<int>(i);
    if (stopping()) return {done, Error{ErrorKind::cancelled, "stopping"}, 0};
    // A connection per request: some IPP printers (ippeveprinter among them) take no second
    // request on a connection that carried a document.
    auto http = connect(m_s, *target);
    if (!http) return {done, http.error(), 0};
    const std::string job_name = parts.size() == 1 ? name : name + "-" + std::to_string(i + 1);
    ipp_t* request = new_request(IPP_OP_PRINT_JOB, m_s);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nullptr, job_name.c_str());
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", nullptr,
                 m_s.format.c_str());
    auto st0 = cupsSendRequest(http->get(), request, target->resource.c_str(), parts[i].size());

    if (st0 == HTTP_STATUS_CONTINUE) {
      cupsWriteRequestData(http->get(), parts[i].data(), parts[i].size());
    }
    Ipp response(cupsGetResponse(http->get(), target->resource.c_str()), ippDelete);
    ippDelete(request);
    if (!response || ippGetStatusCode(response.get()) > IPP_STATUS_OK_CONFLICTING)
      return {done,
              Error{ErrorKind::remote_retry,
                    "CUPS " + m_s.uri + " refused the job: " + cupsLastErrorString()},
              0};
    ipp_attribute_t* id = ippFindAttribute(response.get(), "job-id", IPP_TAG_INTEGER);
    if (!id) return {done, Error{ErrorKind::remote_retry, "CUPS " + m_s.uri + ": no job-id"}, 1};
    const int job_id = ippGetInteger(id, 0);
    const auto deadline = SteadyClock::now() + m_s.job_timeout;
    for (;;) {
      auto poll_http = connect(m_s, *target);
      if (!poll_http) return {done, poll_http.error(), 1};
      auto st = job_state(poll_http->get(), m_s, *target, job_id);
      if (!st) return {done, st.error(), 1};
      if (st->state == IPP_JSTATE_COMPLETED) break;
      if (st->state == IPP_JSTATE_ABORTED || st->state == IPP_JSTATE_CANCELED)
        return {done,
                Error{ErrorKind::remote_retry,
                      "CUPS job " + std::to_string(job_id) + " " +
                          (st->state == IPP_JSTATE_ABORTED ? "aborted" : "canceled") + " (" +
                          st->reasons + ")"},
                0};
      if (st->state == IPP_JSTATE_STOPPED && !st->reasons.empty() &&
          st->reasons.find("none") == std::string::npos) {
        // A stopped printer (paper out, jam) holds the job: a person sees to it.
        return {done,
                Error{ErrorKind::remote_retry,
                      "CUPS job " + std::to_string(job_id) + " stopped (" + st->reasons + ")"},
                1};
      }
      if (SteadyClock::now() > deadline)
        return {
            done,
            Error{ErrorKind::timeout, "CUPS job " + std::to_string(job_id) + " not completed in " +
                                          std::to_string(m_s.job_timeout.count()) + " s"},
            1};
      std::this_thread::sleep_for(m_s.poll);
    }
  }
  return {static_cast<int>(parts.size()), std::nullopt, 0};
}

std::optional<bool> CupsTransport::arrived(const std::string& name) {
  auto target = parse_uri(m_s.uri);
  if (!target) return std::nullopt;
  auto http = connect(m_s, *target);
  if (!http) return std::nullopt;
  ipp_t* request = new_request(IPP_OP_GET_JOBS, m_s);
  ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", nullptr, "all");
  static const char* const k_attrs[] = {"job-name", "job-state"};
  ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 2, nullptr,
                k_attrs);
  Ipp response(cupsDoRequest(http->get(), request, target->resource.c_str()), ippDelete);
  if (!response) return std::nullopt;
  std::optional<bool> found;
  std::string job_name;
  for (ipp_attribute_t* a = ippFirstAttribute(response.get()); a;
       a = ippNextAttribute(response.get())) {
    const char* attr = ippGetName(a);
    if (!attr) continue;  // a group separator: the next job
    if (std::string_view(attr) == "job-name") job_name = ippGetString(a, 0, nullptr);
    if (std::string_view(attr) == "job-state" && job_name == name) {
      const auto st = static_cast<ipp_jstate_t>(ippGetInteger(a, 0));
      if (st == IPP_JSTATE_COMPLETED)
        found = true;
      else if (st == IPP_JSTATE_ABORTED || st == IPP_JSTATE_CANCELED)
        found = false;
      else
        return std::nullopt;  // still going: a person looks
    }
  }
  // Never seen by CUPS: it was not sent.
  return found.value_or(false);
}

}  // namespace fulfil::printers
