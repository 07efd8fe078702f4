// courier_bench: the courier issue's HTTP figures against the SF simulator, each beside its
// bound measured in the same run.
//   1. N waybill creates (SfClient::create_many through the daemon's curl_multi client)
//      with the simulator answering after 50 ms, as a ratio to the bound in_flight / latency.
//   2. The same with no latency, as a ratio to a bare curl_multi loop posting the same
//      signed requests over the same number of kept-alive connections.
//   3. Waybills through the waybill job as the daemon runs it (approved parcels in a real
//      SQLite store, strict durability; SF requests recorded before the call, answers after)
//      at in_flight 8 and 32 with 40 ms simulator latency, as a ratio to in_flight / latency.
//   courier_bench [--requests N] [--in-flight C] [--latency-ms L] [--parcels P]
#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "courier/sf_client.hpp"
#include "courier/sf_protocol.hpp"
#include "courier/waybill_service.hpp"
#include "outbound/curl_multi_client.hpp"
#include "outbound/form_encoding.hpp"
#include "review/review_service.hpp"
#include "review_fixture.hpp"
#include "sf_simulator.hpp"
#include "store_fixture.hpp"

using namespace fulfil;

namespace {

using Clock_ = std::chrono::steady_clock;

double seconds_since(Clock_::time_point t) {
  return std::chrono::duration<double>(Clock_::now() - t).count();
}

std::vector<courier::WaybillRequest> requests(int n, const std::string& prefix) {
  std::vector<courier::WaybillRequest> out;
  for (int i = 0; i < n; ++i) {
    courier::WaybillRequest r;
    r.order_id = prefix + std::to_string(i);
    r.sender = {"仓库", "13800000000", "广东省", "深圳市", "南山区", "科技园 1 号"};
    r.receiver = {"王芳", "13912345678", "浙江省", "杭州市", "西湖区", "文三路 90 号"};
    r.items = {{"连衣裙", 1}};
    r.weight_g = 800;
    out.push_back(std::move(r));
  }
  return out;
}

// Our client: returns requests/s, or 0 when any create failed.
double through_client(const std::string& url, int n, int in_flight, const std::string& prefix) {
  outbound::HttpSettings settings;
  settings.max_per_host = in_flight;
  outbound::OwnedHttpClient http(settings);
  SystemClock clock;
  courier::SfClient sf(http, clock, {url, "FULFIL", "check-word", "7551234567", 2, in_flight});
  auto batch = requests(n, prefix);
  const auto start = Clock_::now();
  auto answers = sf.create_many(batch, static_cast<std::size_t>(in_flight));
  const double secs = seconds_since(start);
  int failed = 0;
  for (const auto& a : answers) failed += a ? 0 : 1;
  if (failed) {
    std::fprintf(stderr, "%d creates failed, e.g. %s\n", failed,
                 std::find_if(answers.begin(), answers.end(), [](auto& a) { return !a; })
                     ->error()
                     .message.c_str());
    return 0;
  }
  return n / secs;
}

// The bound: libcurl's multi interface alone, the same signed bodies, the same number of
// connections, nothing else (no parsing, no fan-out bookkeeping). Returns requests/s.
double bare_curl_multi(const std::string& url, int n, int in_flight, const std::string& prefix) {
  SystemClock clock;
  std::vector<std::string> bodies;
  const std::string timestamp = std::to_string(clock.now() * 1000);
  for (int i = 0; i < n; ++i) {
    const std::string msg = R"({"language":"zh-CN","orderId":")" + prefix + std::to_string(i) +
                            R"(","monthlyCard":"7551234567","payMethod":1,"expressTypeId":2,)"
                            R"("parcelQty":1,"totalWeight":0.8,"cargoDetails":[{"name":"连衣裙",)"
                            R"("count":1,"unit":"件"}],"contactInfoList":[{"contactType":1,)"
                            R"("contact":"仓库","mobile":"13800000000","province":"广东省",)"
                            R"("city":"深圳市","county":"南山区","address":"科技园 1 号"},)"
                            R"({"contactType":2,"contact":"王芳","mobile":"13912345678",)"
                            R"("province":"浙江省","city":"杭州市","county":"西湖区",)"
                            R"("address":"文三路 90 号"}]})";
    bodies.push_back(
        outbound::encode_form({{"partnerID", "FULFIL"},
                               {"requestID", "bare-" + std::to_string(i)},
                               {"serviceCode", "EXP_RECE_CREATE_ORDER"},
                               {"timestamp", timestamp},
                               {"msgDigest", courier::sf::msg_digest(msg, timestamp, "check-word")},
                               {"msgData", msg}}));
  }
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(in_flight));
  curl_slist* headers =
      curl_slist_append(nullptr, "Content-Type: application/x-www-form-urlencoded");
  headers = curl_slist_append(headers, "Expect:");
  std::vector<std::string> sinks(static_cast<std::size_t>(in_flight));
  auto sink = +[](char* d, std::size_t s, std::size_t k, void* u) {
    static_cast<std::string*>(u)->append(d, s * k);
    return s * k;
  };
  int next = 0, done = 0, bad = 0;
  auto launch = [&](CURL* e, std::size_t slot) {
    sinks[slot].clear();
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, bodies[static_cast<std::size_t>(next)].c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &sinks[slot]);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_PRIVATE, reinterpret_cast<void*>(slot));
    ++next;
    curl_multi_add_handle(multi, e);
  };
  const auto start = Clock_::now();
  for (int s = 0; s < in_flight && next < n; ++s)
    launch(curl_easy_init(), static_cast<std::size_t>(s));
  while (done < n) {
    int running = 0;
    curl_multi_perform(multi, &running);
    int left = 0;
    while (CURLMsg* m = curl_multi_info_read(multi, &left)) {
      if (m->msg != CURLMSG_DONE) continue;
      CURL* e = m->easy_handle;
      void* slot = nullptr;
      curl_easy_getinfo(e, CURLINFO_PRIVATE, &slot);
      if (m->data.result != CURLE_OK ||
          sinks[reinterpret_cast<std::size_t>(slot)].find("A1000") == std::string::npos)
        ++bad;
      curl_multi_remove_handle(multi, e);
      ++done;
      if (next < n)
        launch(e, reinterpret_cast<std::size_t>(slot));
      else
        curl_easy_cleanup(e);
    }
    if (done < n) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }
  const double secs = seconds_since(start);
  curl_slist_free_all(headers);
  curl_multi_cleanup(multi);
  if (bad) std::fprintf(stderr, "bare loop: %d requests failed\n", bad);
  return n / secs;
}

// SF through the real client, as the daemon's ConfiguredCouriers wires it.
class SfOnly final : public courier::RemoteCouriers {
 public:
  SfOnly(outbound::HttpClient& http, courier::SfSettings s) : m_http(http), m_s(std::move(s)) {}
  std::vector<Result<courier::WaybillAnswer>> create_many(
      const std::string&, std::span<const courier::WaybillRequest> r) override {
    return courier::SfClient(m_http, m_clock, m_s).create_many(r, m_s.in_flight);
  }
  void create_each(const std::string&, std::span<const courier::WaybillRequest> r,
                   const courier::AnswerSink& sink) override {
    courier::SfClient(m_http, m_clock, m_s).create_each(r, m_s.in_flight, sink);
  }
  Result<void> cancel(const std::string&, const std::string& order_id,
                      const std::string&) override {
    return courier::SfClient(m_http, m_clock, m_s).cancel(order_id);
  }

 private:
  outbound::HttpClient& m_http;
  courier::SfSettings m_s;
  SystemClock m_clock;
};

// Approved parcels in, waybills recorded: returns waybills/s, or 0 when some did not issue.
// A simulator of its own: each store's waybill keys start alike, and an SF that already
// holds those orders would answer 8016 and cost a search each.
double through_waybill_job(int parcels, int in_flight, int latency_ms) {
  sim::SfSimulator sim("FULFIL", "check-word");
  sim.start();
  sim.set_faults({.latency_ms = latency_ms});
  const std::string url = sim.url();
  std::string why;
  auto store = test::TestStore::create(test::Backend::sqlite, why);
  if (!store) {
    std::fprintf(stderr, "store: %s\n", why.c_str());
    return 0;
  }
  SystemClock clock;
  std::vector<orders::Trade> trades;
  for (int i = 0; i < parcels; ++i)
    trades.push_back(test::paid_trade(900000 + i, clock.now() - 3600 + i, "b" + std::to_string(i)));
  test::store_trades(store->conn(), clock, trades);
  const auto review = test::quiet_settings();
  review::ReviewService r(store->conn(), clock, review);
  if (!r.intake() || !r.auto_approve()) return 0;
  courier::CourierSettings couriers;
  couriers.couriers = {{"SF", "顺丰", courier::Source::sf, 100, 0, {}, {}, 1200, 0}};
  couriers.couriers[0].sf = {url, "FULFIL", "check-word", "7551234567", 2, in_flight};
  couriers.sender = {"仓库", "13800000000", "广东省", "深圳市", "南山区", "科技园 1 号"};
  outbound::HttpSettings settings;
  settings.max_per_host = in_flight;
  outbound::OwnedHttpClient http(settings);
  SfOnly remote(http, couriers.couriers[0].sf);
  const auto start = Clock_::now();
  for (int pass = 0; pass < 20; ++pass) {
    auto done = courier::WaybillService(store->conn(), clock, couriers).issue(&remote);
    if (!done) {
      std::fprintf(stderr, "waybill job: %s\n", done.error().message.c_str());
      return 0;
    }
    if (store->scalar("SELECT COUNT(*) FROM waybills WHERE state = 'issued'") >= parcels) break;
  }
  const double secs = seconds_since(start);
  const auto issued = store->scalar("SELECT COUNT(*) FROM waybills WHERE state = 'issued'");
  if (issued != parcels) {
    std::fprintf(stderr, "waybill job: %lld of %d issued\n", issued, parcels);
    return 0;
  }
  return parcels / secs;
}

}  // namespace

int main(int argc, char** argv) {
  int n = 10000, in_flight = 64, latency_ms = 50, parcels = 4000, job_latency_ms = 40;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--requests") n = std::atoi(argv[i + 1]);
    if (k == "--in-flight") in_flight = std::atoi(argv[i + 1]);
    if (k == "--latency-ms") latency_ms = std::atoi(argv[i + 1]);
    if (k == "--parcels") parcels = std::atoi(argv[i + 1]);
    if (k == "--job-latency-ms") job_latency_ms = std::atoi(argv[i + 1]);
  }
  log::configure("warn", false);
  sim::SfSimulator sim("FULFIL", "check-word");
  sim.start();

  sim.set_faults({.latency_ms = latency_ms});
  const double slow = through_client(sim.url(), n, in_flight, "L");
  const double bound = in_flight * 1000.0 / latency_ms;
  std::printf(
      "SF creates, %d ms latency, %d in flight: %d in %.2f s = %.0f/s; bound %d / %d ms = "
      "%.0f/s; ratio %.2f (target >= 0.9)\n",
      latency_ms, in_flight, n, n / slow, slow, in_flight, latency_ms, bound, slow / bound);

  sim.set_faults({});
  const double bare = bare_curl_multi(sim.url(), n, in_flight, "B");
  const double ours = through_client(sim.url(), n, in_flight, "Z");
  std::printf(
      "SF creates, no latency: ours %.0f/s, bare curl_multi %.0f/s on the same simulator; "
      "ratio %.2f (target >= 0.5)\n",
      ours, bare, bare > 0 ? ours / bare : 0.0);
  double job_rates[2] = {0, 0};
  for (int k = 0; k < 2; ++k) {
    const int window = k == 0 ? 8 : 32;
    job_rates[k] = through_waybill_job(parcels, window, job_latency_ms);
    const double job_bound = window * 1000.0 / std::max(1, job_latency_ms);
    std::printf(
        "waybill job, SF %d ms latency, in_flight %d: %d parcels at %.0f waybills/s; bound "
        "%.0f/s; ratio %.2f (target >= 0.8)\n",
        job_latency_ms, window, parcels, job_rates[k], job_bound, job_rates[k] / job_bound);
  }
  for (const auto& [key, count] : sim.issued_per_order())
    if (count != 1) {
      std::fprintf(stderr, "order %s got %d waybills\n", key.c_str(), count);
      return 1;
    }
  return slow > 0 && ours > 0 && bare > 0 && job_rates[0] > 0 && job_rates[1] > 0 ? 0 : 1;
}
