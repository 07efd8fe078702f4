#include "soak_samples.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>

#include "process.hpp"

namespace fulfil::test {

namespace {

// "VmRSS:" or "Threads:" of /proc/PID/status.
long status_field(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + field.size());
  return 0;
}

int open_fds(pid_t pid) {
  std::error_code ec;
  int n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++n;
  return n;
}

using Series = std::function<double(const SoakSample&)>;

double peak(const std::vector<SoakSample>& s, double from, double to, const Series& f) {
  double m = 0;
  for (const auto& x : s)
    if (x.t >= from && x.t < to) m = std::max(m, f(x));
  return m;
}

}  // namespace

void SoakSampler::sample() {
  const auto now = std::chrono::steady_clock::now();
  if (now - m_last < std::chrono::milliseconds(950)) return;
  m_last = now;
  SoakSample s;
  s.t = std::chrono::duration<double>(now - m_start).count();
  s.pid = m_path.daemon_pid();
  if (s.pid > 0) {
    s.rss_kb = status_field(s.pid, "VmRSS:");
    s.threads = static_cast<int>(status_field(s.pid, "Threads:"));
    s.fds = open_fds(s.pid);
  }
  std::error_code ec;
  const auto wal = std::filesystem::file_size(m_path.store_path().string() + "-wal", ec);
  s.wal_bytes = ec ? 0 : static_cast<long long>(wal);
  s.slips_waiting = m_path.count("SELECT COUNT(*) FROM outbox WHERE state = 'pending'");
  s.parcels_waiting = m_path.count("SELECT COUNT(*) FROM parcels WHERE state = 'approved'");
  s.confirmations_waiting =
      m_path.count("SELECT COUNT(*) FROM ship_confirmations WHERE state = 'pending'");
  s.labels_waiting = m_path.count("SELECT COUNT(*) FROM labels WHERE state IN ('queued', 'sent')");
  s.trades = m_path.count("SELECT COUNT(*) FROM trades");
  s.shipped = static_cast<long long>(m_path.top.shipments().size());
  m_samples.push_back(s);
}

void SoakSampler::write_csv(const std::filesystem::path& csv) const {
  std::ofstream out(csv);
  out << "t,pid,rss_mb,fds,threads,wal_mb,slips_waiting,parcels_waiting,confirmations_waiting,"
         "labels_waiting,trades,shipped\n";
  for (const auto& s : m_samples)
    out << s.t << ',' << s.pid << ',' << s.rss_kb / 1024.0 << ',' << s.fds << ',' << s.threads
        << ',' << s.wal_bytes / 1048576.0 << ',' << s.slips_waiting << ',' << s.parcels_waiting
        << ',' << s.confirmations_waiting << ',' << s.labels_waiting << ',' << s.trades << ','
        << s.shipped << '\n';
}

bool SoakSampler::plot(const std::filesystem::path& csv, const std::filesystem::path& png,
                       const std::vector<std::pair<double, std::string>>& events) const {
  std::ostringstream g;
  g << "set terminal pngcairo size 1400,1000 font ',10'\nset output '" << png.string() << "'\n"
    << "set datafile separator ','\nset key autotitle columnhead left top\n"
    << "set xlabel 'seconds'\nset grid\n";
  // Kills as red lines, faults as grey ticks, on every panel.
  for (const auto& [t, what] : events)
    g << "set arrow from " << t << ", graph 0 to " << t << ", graph 1 nohead lc rgb '"
      << (what == "kill -9" ? "#d62728" : "#bbbbbb") << "' lw " << (what == "kill -9" ? 2 : 1)
      << "\n";
  const std::string f = "'" + csv.string() + "'";
  g << "set multiplot layout 2,2 title 'fulfild soak: kill -9 (red), faults (grey)'\n"
    << "set title 'memory and threads'\nset ylabel 'MB'\nset y2label 'threads'\nset y2tics\n"
    << "plot " << f << " using 1:3 with lines lw 2 title 'RSS (MB)', " << f
    << " using 1:5 axes x1y2 with lines title 'threads'\n"
    << "unset y2tics\nunset y2label\n"
    << "set title 'open file descriptors'\nset ylabel 'fds'\nplot " << f
    << " using 1:4 with lines lw 2 title 'fds'\n"
    << "set title 'WAL size'\nset ylabel 'MB'\nplot " << f
    << " using 1:6 with lines lw 2 title 'store.db-wal (MB)'\n"
    << "set title 'queues'\nset ylabel 'rows'\nplot " << f
    << " using 1:7 with lines title 'slips waiting', " << f
    << " using 1:8 with lines title 'parcels waiting for a waybill', " << f
    << " using 1:9 with lines title 'confirmations pending', " << f
    << " using 1:10 with lines title 'labels waiting'\n"
    << "unset multiplot\n";
  const auto script = png.parent_path() / "soak.gnuplot";
  std::ofstream(script) << g.str();
  std::filesystem::remove(png);
  auto r = run_program("/usr/bin/gnuplot", {script.string()}, png.parent_path());
  if (r.status != 0) std::fprintf(stderr, "gnuplot: %s\n", r.err.c_str());
  return r.status == 0 && std::filesystem::exists(png);
}

std::vector<std::string> SoakSampler::unbounded() const {
  std::vector<std::string> wrong;
  if (m_samples.size() < 10) return {"too few samples"};
  // Load stops at the last sample of the run proper; the first minute sets the baseline.
  const double end = m_samples.back().t;
  auto check = [&](const char* what, const Series& f, double factor, double slack) {
    const double base = peak(m_samples, 0, 60, f);
    const double whole = peak(m_samples, 0, end + 1, f);
    if (whole > base * factor + slack)
      wrong.push_back(std::string(what) + " grew to " + std::to_string(whole) +
                      " from a first-minute peak of " + std::to_string(base));
  };
  check(
      "RSS (MB)", [](const SoakSample& s) { return s.rss_kb / 1024.0; }, 1.5, 32);
  // Most descriptors are pooled connections to the four systems, as many as requests were in
  // flight at once: a life that starts on a bigger backlog (a kill during a storage fault)
  // keeps more open until they idle out (117 in the first minute, 140 after such a kill, back
  // to 84 within 50 s, with the suite running beside it). A leak of one descriptor in five
  // orders (120 in one life's minute) still fails 1.5 times the first minute's peak.
  check(
      "open descriptors", [](const SoakSample& s) { return s.fds; }, 1.5, 16);
  check(
      "threads", [](const SoakSample& s) { return s.threads; }, 1.0, 4);
  const double wal_mb =
      peak(m_samples, 0, end + 1, [](const SoakSample& s) { return s.wal_bytes / 1048576.0; });
  if (wal_mb > 64) wrong.push_back("the WAL grew to " + std::to_string(wal_mb) + " MB");
  const auto& last = m_samples.back();
  if (last.slips_waiting != 0)
    wrong.push_back(std::to_string(last.slips_waiting) + " slips still waiting at the end");
  if (last.parcels_waiting != 0)
    wrong.push_back(std::to_string(last.parcels_waiting) + " parcels still waiting for a waybill");
  if (last.labels_waiting != 0)
    wrong.push_back(std::to_string(last.labels_waiting) + " labels still waiting at the end");
  return wrong;
}

std::string SoakSampler::summary() const {
  if (m_samples.empty()) return "no samples\n";
  auto max_of = [&](const Series& f) { return peak(m_samples, 0, 1e12, f); };
  char out[1024];
  std::snprintf(
      out, sizeof out,
      "  peaks: RSS %.1f MB (first minute %.1f), fds %.0f (first minute %.0f), threads %.0f, "
      "WAL %.1f MB\n  queues at their peak: slips %.0f, parcels waiting for a waybill %.0f, "
      "confirmations %.0f, labels %.0f; at the end: %lld, %lld, %lld, %lld\n  %zu samples; "
      "%lld trades stored, %lld told shipped\n",
      max_of([](const SoakSample& s) { return s.rss_kb / 1024.0; }),
      peak(m_samples, 0, 60, [](const SoakSample& s) { return s.rss_kb / 1024.0; }),
      max_of([](const SoakSample& s) { return s.fds; }),
      peak(m_samples, 0, 60, [](const SoakSample& s) { return s.fds; }),
      max_of([](const SoakSample& s) { return s.threads; }),
      max_of([](const SoakSample& s) { return s.wal_bytes / 1048576.0; }),
      max_of([](const SoakSample& s) { return static_cast<double>(s.slips_waiting); }),
      max_of([](const SoakSample& s) { return static_cast<double>(s.parcels_waiting); }),
      max_of([](const SoakSample& s) { return static_cast<double>(s.confirmations_waiting); }),
      max_of([](const SoakSample& s) { return static_cast<double>(s.labels_waiting); }),
      m_samples.back().slips_waiting, m_samples.back().parcels_waiting,
      m_samples.back().confirmations_waiting, m_samples.back().labels_waiting, m_samples.size(),
      m_samples.back().trades, m_samples.back().shipped);
  return out;
}

}  // namespace fulfil::test
