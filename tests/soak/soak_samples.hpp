#pragma once
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "whole_path.hpp"

namespace fulfil::test {

// One second of the soak: the daemon process's resources and the store's queues.
struct SoakSample {
  double t = 0;  // seconds since the start
  pid_t pid = -1;
  long rss_kb = 0;
  int fds = 0, threads = 0;
  long long wal_bytes = 0;
  long long slips_waiting = 0;          // outbox rows not yet acknowledged by the peer
  long long parcels_waiting = 0;        // approved, waiting for a waybill
  long long confirmations_waiting = 0;  // ship confirmations pending
  long long labels_waiting = 0;         // queued or sent, not yet confirmed printed
  long long trades = 0, shipped = 0;    // stored; told shipped on the platform
};

// Samples the daemon of a WholePath (at most once a second), writes the samples as CSV, plots
// them with gnuplot, and judges whether they stayed bounded.
class SoakSampler {
 public:
  SoakSampler(WholePath& path, std::chrono::steady_clock::time_point start)
      : m_path(path), m_start(start) {}
  void sample();
  void write_csv(const std::filesystem::path& csv) const;
  // soak.png: four panels over time (memory and threads, descriptors, WAL, queues), with the
  // kills and faults marked. Returns whether gnuplot wrote it.
  bool plot(const std::filesystem::path& csv, const std::filesystem::path& png,
            const std::vector<std::pair<double, std::string>>& events) const;
  // What grew without bound, one line each (empty: all bounded).
  std::vector<std::string> unbounded() const;
  // The figures for the note: peaks and the ends of each series.
  std::string summary() const;

 private:
  WholePath& m_path;
  std::chrono::steady_clock::time_point m_start;
  std::chrono::steady_clock::time_point m_last{};
  std::vector<SoakSample> m_samples;
};

}  // namespace fulfil::test
