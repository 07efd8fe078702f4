#include "printer_simulator.hpp"

#include "loopback.hpp"

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <cstdio>
#include <regex>

#include "zpl_graphic.hpp"

namespace fulfil::sim {

namespace asio = boost::asio;
using asio::ip::tcp;

PrinterSimulator::PrinterSimulator(Options options)
    : m_o(options), m_acceptor(m_io), m_timer(m_io) {
  m_port = listen_on_loopback(m_acceptor);
  accept();
  m_thread = std::thread([this] { m_io.run(); });
}

PrinterSimulator::~PrinterSimulator() {
  m_io.stop();
  if (m_thread.joinable()) m_thread.join();
}

void PrinterSimulator::accept() {
  auto s = std::make_shared<tcp::socket>(m_io);
  m_acceptor.async_accept(*s, [this, s](boost::system::error_code ec) {
    if (ec) return;
    read(s, std::make_shared<std::string>());
    accept();
  });
}

void PrinterSimulator::read(std::shared_ptr<tcp::socket> s, std::shared_ptr<std::string> buffer) {
  auto chunk = std::make_shared<std::array<char, 65536>>();
  s->async_read_some(asio::buffer(*chunk), [this, s, buffer, chunk](boost::system::error_code ec,
                                                                    std::size_t n) {
    if (ec) return;
    buffer->append(chunk->data(), n);
    std::string answer;
    {
      std::lock_guard lock(m_mutex);
      answer = parse(*buffer);
    }
    if (!answer.empty()) {
      auto out = std::make_shared<std::string>(std::move(answer));
      asio::async_write(*s, asio::buffer(*out), [out](boost::system::error_code, std::size_t) {});
    }
    read(s, buffer);
  });
}

std::string PrinterSimulator::parse(std::string& buf) {
  std::string answer;
  if (m_silent) {
    buf.clear();
    return answer;
  }
  if (m_o.language == Language::zpl) {
    // Consumed up to `at`; erased once at the end (a 14 KiB label erased from the front of
    // a 64 KiB buffer per format was most of the simulator's time).
    // `~` starts ZPL's immediate commands only (field data escapes it), so the next one is
    // found once per command rather than searched for by name through every format.
    std::size_t at = 0, tilde = buf.find('~');
    for (;;) {
      if (tilde < at) tilde = buf.find('~', at);
      const auto xa = buf.find("^XA", at);
      const auto first = std::min(tilde, xa);
      if (first == std::string::npos) break;
      if (first == tilde) {
        if (tilde + 3 > buf.size()) break;  // the rest of the command is still on its way
        const std::string_view command = std::string_view(buf).substr(tilde, 3);
        at = tilde + (command == "~HS" || command == "~JA" ? 3 : 1);  // others: not ours
        if (command == "~HS" && !(m_paper_out && m_o.silent_when_out)) answer += status_zpl();
        if (command == "~JA") m_queue.clear();
      } else {
        const auto xz = buf.find("^XZ", xa);
        if (xz == std::string::npos) break;
        const std::string_view format = std::string_view(buf).substr(xa, xz + 3 - xa);
        at = xz + 3;
        // Every graphic must decode, as the printer would draw it.
        bool ok = true;
        for (std::size_t g = m_o.check_graphics ? format.find("^GFA,") : std::string::npos;
             g != std::string::npos; g = format.find("^GFA,", g + 5)) {
          const auto end = format.find("^FS", g);
          if (end == std::string::npos || !decode_zpl_graphic(format.substr(g + 5, end - g - 5)))
            ok = false;
        }
        // The Code 128 field's data: ^BC...^FD<data>^FS.
        const auto bc = format.find("^BC");
        const auto fd = bc == std::string::npos ? bc : format.find("^FD", bc);
        const auto fs = fd == std::string::npos ? fd : format.find("^FS", fd);
        if (!ok || fs == std::string::npos) {
          ++m_garbage;
          continue;
        }
        enqueue({std::string(format.substr(fd + 3, fs - fd - 3))});
      }
    }
    // A partial command stays; bytes before any command are dropped as the printer would.
    const auto keep = std::min({buf.find("~", at), buf.find("^", at), buf.size()});
    buf.erase(0, keep);
    return answer;
  }
  // TSPL: CRLF lines; BITMAP carries width×height raw bytes; PRINT ends a label.
  static const std::regex k_barcode(R"re(^BARCODE [^"]*"128",[^"]*"((?:[^"\\]|\\\["\])*)")re");
  for (;;) {
    if (buf.starts_with("\x1b!?")) {
      buf.erase(0, 3);
      if (!m_status_override.empty())
        answer += m_status_override;
      else if (!(m_paper_out && m_o.silent_when_out))
        answer.push_back(status_tspl());
      continue;
    }
    const auto eol = buf.find("\r\n");
    if (eol == std::string::npos) break;
    if (buf.starts_with("BITMAP ")) {
      int x, y, wb, h, mode;
      if (std::sscanf(buf.c_str(), "BITMAP %d,%d,%d,%d,%d,", &x, &y, &wb, &h, &mode) != 5) {
        ++m_garbage;
        buf.erase(0, eol + 2);
        continue;
      }
      std::size_t data = 0;  // the comma before the raw bytes: the fifth
      for (int c = 0; c < 5; ++c) data = buf.find(',', data + (c ? 1 : 0));
      const std::size_t need = data + 1 + static_cast<std::size_t>(wb) * h + 2;
      if (buf.size() < need) break;
      buf.erase(0, need);
      continue;
    }
    const std::string line = buf.substr(0, eol);
    buf.erase(0, eol + 2);
    std::smatch m;
    if (std::regex_search(line, m, k_barcode)) m_tspl_label = m[1];
    if (line.starts_with("PRINT")) {
      if (m_tspl_label.empty())
        ++m_garbage;
      else
        enqueue({m_tspl_label});
      m_tspl_label.clear();
    }
  }
  return answer;
}

void PrinterSimulator::enqueue(Format f) {
  // An idle printer starts a label as it arrives.
  if (m_queue.empty() && !m_started && !(m_jammed || m_paper_out || m_paused))
    m_started = std::chrono::steady_clock::now();
  m_queue.push_back(std::move(f));
  // The head moves only while something waits: an idle printer does not wake every tick.
  if (!m_ticking) {
    m_ticking = true;
    tick();
  }
}

std::string PrinterSimulator::status_zpl() const {
  if (!m_status_override.empty()) return m_status_override;
  char line1[80], line2[80];
  std::snprintf(line1, sizeof line1,
                "\x02"
                "030,%d,%d,1245,%03d,0,0,0,000,0,0,0\x03\r\n",
                m_paper_out ? 1 : 0, (m_paused || m_jammed) ? 1 : 0,
                static_cast<int>(m_queue.size()));
  std::snprintf(line2, sizeof line2,
                "\x02"
                "000,0,%d,0,0,2,6,0,00000000,1,000\x03\r\n",
                m_jammed ? 1 : 0);
  return std::string(line1) + line2 +
         "\x02"
         "1234,0\x03\r\n";
}

char PrinterSimulator::status_tspl() const {
  int b = 0;
  if (m_jammed) b |= 2;
  if (m_paper_out) b |= 4;
  if (m_paused) b |= 16;
  if (!m_queue.empty() && !(m_jammed || m_paper_out || m_paused)) b |= 32;
  return static_cast<char>(b);
}

// A label takes 1/rate seconds under the head once the printer starts it; the printer
// starts the next as soon as one is waiting. Checked every tenth of a label (1 ms at least).
void PrinterSimulator::tick() {
  const auto period = std::chrono::duration<double>(1.0 / m_o.labels_per_second);
  const auto step = std::max<std::chrono::steady_clock::duration>(
      std::chrono::milliseconds(1),
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(period / 10));
  m_timer.expires_after(step);
  m_timer.async_wait([this, period](boost::system::error_code ec) {
    if (ec) return;
    {
      std::lock_guard lock(m_mutex);
      const auto now = std::chrono::steady_clock::now();
      const bool stopped = m_jammed || m_paper_out || m_paused || m_silent;
      if (stopped || m_queue.empty()) {
        m_started.reset();
      } else if (!m_started) {
        m_started = now;
      } else {
        // Every label whose time under the head is up (several a tick for fast printers).
        while (m_started && !m_queue.empty() && now - *m_started >= period) {
          m_busy += period.count();
          auto strike = [&](int& in, bool& fault) {
            if (in == 0) {
              fault = true;
              in = -1;
              return true;
            }
            if (in > 0) --in;
            return false;
          };
          const bool jam = strike(m_jam_in, m_jammed);
          const bool out = !jam && strike(m_out_in, m_paper_out);
          if (jam) {
            // A jam ruins the label under the head; paper-out leaves it waiting.
            m_ruined.push_back(m_queue.front().id);
            m_queue.pop_front();
          } else if (!out) {
            m_printed.push_back(m_queue.front().id);
            m_queue.pop_front();
          }
          if (m_queue.empty() || m_jammed || m_paper_out)
            m_started.reset();
          else
            *m_started += std::chrono::duration_cast<std::chrono::steady_clock::duration>(period);
        }
      }
      m_ticking = !m_queue.empty();
    }
    if (m_ticking) tick();
  });
}

void PrinterSimulator::jam_after(int k) {
  std::lock_guard lock(m_mutex);
  m_jam_in = k;
}
void PrinterSimulator::paper_out_after(int k) {
  std::lock_guard lock(m_mutex);
  m_out_in = k;
}
void PrinterSimulator::pause() {
  std::lock_guard lock(m_mutex);
  m_paused = true;
}
void PrinterSimulator::go_silent() {
  std::lock_guard lock(m_mutex);
  m_silent = true;
}
void PrinterSimulator::answer_status_with(std::string reply) {
  std::lock_guard lock(m_mutex);
  m_status_override = std::move(reply);
}
void PrinterSimulator::clear() {
  std::lock_guard lock(m_mutex);
  m_jammed = m_paper_out = m_paused = m_silent = false;
  m_jam_in = m_out_in = -1;
}
std::vector<std::string> PrinterSimulator::printed() const {
  std::lock_guard lock(m_mutex);
  return m_printed;
}
std::vector<std::string> PrinterSimulator::ruined() const {
  std::lock_guard lock(m_mutex);
  return m_ruined;
}
int PrinterSimulator::waiting() const {
  std::lock_guard lock(m_mutex);
  return static_cast<int>(m_queue.size());
}
int PrinterSimulator::garbage() const {
  std::lock_guard lock(m_mutex);
  return m_garbage;
}
double PrinterSimulator::busy_seconds() const {
  std::lock_guard lock(m_mutex);
  return m_busy;
}

}  // namespace fulfil::sim
