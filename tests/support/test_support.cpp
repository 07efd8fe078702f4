#include "test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "common/digits.hpp"
#include "store/database.hpp"

namespace fulfil::test {

TempDir::TempDir() {
  std::random_device rd;
  m_path = std::filesystem::temp_directory_path() /
           ("fulfil-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(m_path);
}

TempDir::~TempDir() {
  // FULFIL_KEEP_TEST_DIRS=1 keeps a test's files (store, logs) to look at after it.
  if (const char* keep = std::getenv("FULFIL_KEEP_TEST_DIRS"); keep && *keep == '1') {
    std::fprintf(stderr, "kept %s\n", m_path.c_str());
    return;
  }
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

void write_file(const std::filesystem::path& p, std::string_view text) {
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {
std::size_t collect(char* d, std::size_t s, std::size_t n, void* u) {
  static_cast<std::string*>(u)->append(d, s * n);
  return s * n;
}
}  // namespace

namespace {
HttpResult http_request(const std::string& url, const std::string* body,
                        const std::map<std::string, std::string>& headers) {
  HttpResult r;
  CURL* c = curl_easy_init();
  curl_slist* list = nullptr;
  for (const auto& [k, v] : headers) list = curl_slist_append(list, (k + ": " + v).c_str());
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  if (list) curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  if (body) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
  }
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  curl_easy_cleanup(c);
  curl_slist_free_all(list);
  return r;
}
}  // namespace

HttpResult http_get(const std::string& url, const std::map<std::string, std::string>& headers) {
  return http_request(url, nullptr, headers);
}

HttpResult http_post_json(const std::string& url, const std::string& body,
                          const std::map<std::string, std::string>& headers) {
  auto all = headers;
  all.emplace("Content-Type", "application/json");
  return http_request(url, &body, all);
}

void drop_csv_orders(const std::filesystem::path& inbox, const std::string& name, long long first,
                     int rows) {
  std::string csv =
      "tid,status,created,pay_time,modified,buyer_nick,receiver_name,receiver_mobile,"
      "receiver_state,receiver_city,receiver_district,receiver_address,payment,oid,outer_sku_id,"
      "title,price,num\n";
  for (int i = 0; i < rows; ++i) {
    const long long tid = first + i;
    csv += std::to_string(tid) +
           ",WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:12,2026-11-11 00:00:40,2026-11-11 "
           "00:00:41,买家" +
           std::to_string(tid % 997) + ",李强,13987654321,浙江省,杭州市,西湖区,文三路 478 号," +
           "59.00," + std::to_string(tid * 10) + ",TX-1188-21,纯棉短袖T恤,59.00,1\n";
  }
  const auto part = inbox / (name + ".part");
  write_file(part, csv);
  std::filesystem::last_write_time(
      part, std::filesystem::file_time_type::clock::now() - std::chrono::minutes(1));
  std::filesystem::rename(part, inbox / (name + ".csv"));
}

std::int64_t option_number(const char* option, const char* text, std::int64_t max) {
  auto v = parse_digits(text);
  if (!v || *v < 1 || *v > max) {
    std::fprintf(stderr, "%s: expected 1-%lld, got \"%s\"\n", option, static_cast<long long>(max),
                 text);
    std::exit(2);
  }
  return *v;
}

long long sqlite_count(const std::filesystem::path& db, const std::string& sql) {
  auto conn = store::Connection::open(*store::StoreUrl::parse("sqlite:" + db.string()),
                                      store::Durability::relaxed);
  if (!conn) return -1;
  try {
    long long n = 0;
    (*conn)->sql() << sql, soci::into(n);
    return n;
  } catch (const std::exception&) {
    return -1;
  }
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

}  // namespace fulfil::test
