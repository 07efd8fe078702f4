#pragma once
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include "test_paths.hpp"

namespace fulfil::test {

// A fresh temporary directory, removed when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

 private:
  std::filesystem::path m_path;
};

// The process's peak resident set size so far, in MB.
long peak_rss_mb();

// Writes text to a file (creating parent folders).
void write_file(const std::filesystem::path& p, std::string_view text);
std::string read_file(const std::filesystem::path& p);

// Whether p() comes true within `limit`, asking every 20 ms (and once more at the end).
template <class Pred>
bool eventually(Pred p, std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (p()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return p();
}

// A plain HTTP GET on loopback: status and body (status 0 when nothing answered).
struct HttpResult {
  long status = 0;
  std::string body;
};
HttpResult http_get(const std::string& url, const std::map<std::string, std::string>& headers = {});
// A POST of a JSON body with extra headers (Authorization ...).
HttpResult http_post_json(const std::string& url, const std::string& body,
                          const std::map<std::string, std::string>& headers = {});
// Drops a CSV order file NAME.csv of `rows` one-line paid trades (tids from `first`, oid =
// tid * 10) into a CSV shop's inbox: written aside, dated a minute back (past the inbox's
// settle time) and renamed in, so an importer never sees half a file.
void drop_csv_orders(const std::filesystem::path& inbox, const std::string& name, long long first,
                     int rows);
// One number from a SQLite store (-1 while it cannot be read: not there, not migrated yet, or
// busy), read on a connection of its own.
long long sqlite_count(const std::filesystem::path& db, const std::string& sql);
// A TCP port on 127.0.0.1 that was free a moment ago (for a program that must bind it).
int free_port();

// A benchmark's whole-number option in [1, max]; otherwise says which option was wrong on
// stderr and exits 2.
std::int64_t option_number(const char* option, const char* text, std::int64_t max);

}  // namespace fulfil::test
