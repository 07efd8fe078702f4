#include "transport/tcp9100.hpp"

#include "common/digits.hpp"
#include "common/utf8.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

namespace fulfil::printers {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::int64_t k_max_formats_waiting = 999;

int ms_left(Clock::time_point deadline) {
  return static_cast<int>(std::max<long>(
      0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count()));
}

// A non-blocking socket whose every wait has a deadline.
class Connection {
 public:
  explicit Connection(const TcpSettings& s) : m_s(s) {}
  ~Connection() {
    if (m_fd >= 0) ::close(m_fd);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Result<void> open() {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(m_s.port);
    if (::getaddrinfo(m_s.host.c_str(), port.c_str(), &hints, &found) != 0 || !found)
      return fail(ErrorKind::config, where() + ": unknown host");
    m_fd = ::socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    const int rc = m_fd < 0 ? -1 : ::connect(m_fd, found->ai_addr, found->ai_addrlen);
    const int err = errno;
    ::freeaddrinfo(found);
    // Status queries are a few bytes after a big label: without this, Nagle holds them for
    // the printer's delayed ACK (40 ms a label).
    const int one = 1;
    if (m_fd >= 0) ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (rc != 0 && err != EINPROGRESS)
      return fail(ErrorKind::network, where() + ": " + std::strerror(err));
    if (rc != 0) {
      pollfd p{m_fd, POLLOUT, 0};
      if (::poll(&p, 1, static_cast<int>(m_s.connect_timeout.count())) != 1)
        return fail(ErrorKind::timeout, where() + ": no connection in " +
                                            std::to_string(m_s.connect_timeout.count()) + " ms");
      int so = 0;
      socklen_t len = sizeof so;
      ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &so, &len);
      if (so != 0)
        return fail(ErrorKind::network,
                    where() + ": " + std::strerror(so) + " (busy printers refuse connections)");
    }
    return {};
  }

  Result<void> send(std::string_view bytes) {
    const auto deadline = Clock::now() + m_s.label_timeout;
    while (!bytes.empty()) {
      const ssize_t n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n > 0) {
        bytes.remove_prefix(static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno != EAGAIN && errno != EINTR)
        return fail(ErrorKind::network, where() + ": send: " + std::strerror(errno));
      pollfd p{m_fd, POLLOUT, 0};
      if (::poll(&p, 1, ms_left(deadline)) != 1)
        return fail(ErrorKind::timeout, where() + ": the printer takes no more data");
    }
    return {};
  }

  // Reads until `complete(buffer)` or the answer timeout.
  template <class Complete>
  Result<std::string> receive(Complete complete) {
    std::string buf;
    const auto deadline = Clock::now() + m_s.answer_timeout;
    while (!complete(buf)) {
      pollfd p{m_fd, POLLIN, 0};
      if (::poll(&p, 1, ms_left(deadline)) != 1) {
        // Bytes that never made a whole reply: a printer that answers garbage (or a link that
        // drips), not a silent one.
        if (!buf.empty())
          return fail(ErrorKind::invalid_input,
                      where() + ": status reply is garbage or cut short (no whole reply in " +
                          std::to_string(m_s.answer_timeout.count()) + " ms): \"" +
                          printable(buf, 60) + "\"");
        return fail(ErrorKind::timeout, where() + ": no status answer in " +
                                            std::to_string(m_s.answer_timeout.count()) +
                                            " ms (printer silent)");
      }
      char chunk[512];
      const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
      if (n == 0) return fail(ErrorKind::network, where() + ": the printer closed the connection");
      if (n < 0 && errno != EAGAIN && errno != EINTR)
        return fail(ErrorKind::network, where() + ": " + std::strerror(errno));
      if (n > 0) buf.append(chunk, static_cast<std::size_t>(n));
    }
    return buf;
  }

  Result<PrinterStatus> status() {
    switch (m_s.language) {
      case Language::zpl: {
        if (auto r = send("~HS"); !r) return std::unexpected(r.error());
        auto reply = receive([](const std::string& b) {
          return std::count(b.begin(), b.end(), '\x03') >= 3 || b.size() > 4096;
        });
        if (!reply) return std::unexpected(reply.error());
        auto st = parse_zpl_status(*reply);
        if (!st) return std::unexpected(with_context(st.error(), where()));
        return st;
      }
      case Language::tspl: {
        if (auto r = send("\x1b!?"); !r) return std::unexpected(r.error());
        auto reply = receive([](const std::string& b) { return !b.empty(); });
        if (!reply) return std::unexpected(reply.error());
        return parse_tspl_status(static_cast<unsigned char>((*reply)[0]));
      }
      case Language::escpos: {
        // DLE EOT 2: offline causes; DLE EOT 4: paper roll sensor.
        if (auto r = send(std::string_view("\x10\x04\x02\x10\x04\x04", 6)); !r)
          return std::unexpected(r.error());
        auto reply = receive([](const std::string& b) { return b.size() >= 2; });
        if (!reply) return std::unexpected(reply.error());
        auto st = parse_escpos_status(*reply);
        if (!st) return std::unexpected(with_context(st.error(), where()));
        return st;
      }
      case Language::pdf:
        break;
    }
    return fail(ErrorKind::config, where() + ": PDF is not printed over raw TCP here");
  }

  std::string where() const { return "printer " + m_s.host + ":" + std::to_string(m_s.port); }

 private:
  const TcpSettings& m_s;
  int m_fd = -1;
};

Error fault_error(const std::string& where, const PrinterStatus& st) {
  return {ErrorKind::remote_retry, where + ": " + st.describe()};
}

}  // namespace

std::string PrinterStatus::describe() const {
  std::string out;
  auto add = [&](bool on, const char* what) {
    if (on) out += (out.empty() ? "" : ", ") + std::string(what);
  };
  add(paper_out, "paper out");
  add(jammed, "jammed");
  add(head_open, "head open");
  add(ribbon_out, "ribbon out");
  add(paused, "paused");
  return out.empty() ? (busy ? "printing" : "ready") : out;
}

Result<PrinterStatus> parse_zpl_status(std::string_view reply) {
  std::vector<std::vector<std::string>> lines;
  for (int i = 0; i < 3; ++i) {
    const auto stx = reply.find('\x02'), etx = reply.find('\x03');
    if (stx == std::string_view::npos || etx == std::string_view::npos || etx < stx)
      return fail(ErrorKind::invalid_input,
                  "~HS reply is garbage: \"" + printable(reply, 60) + "\"");
    std::vector<std::string> fields;
    std::string_view body = reply.substr(stx + 1, etx - stx - 1);
    for (std::size_t start = 0;;) {
      auto comma = body.find(',', start);
      fields.emplace_back(body.substr(start, comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    lines.push_back(std::move(fields));
    reply.remove_prefix(etx + 1);
  }
  if (lines[0].size() < 6 || lines[1].size() < 4)
    return fail(ErrorKind::invalid_input, "~HS reply is garbage: too few fields");
  auto flag = [](const std::string& f) { return f == "1"; };
  PrinterStatus st;
  st.paper_out = flag(lines[0][1]);
  st.paused = flag(lines[0][2]);
  st.head_open = flag(lines[1][2]);
  st.ribbon_out = flag(lines[1][3]);
  // The manual gives "formats waiting" three digits; anything longer is not a printer's.
  const std::string& w = lines[0][4];
  const auto waiting = parse_digits(w);
  if (!waiting || *waiting > k_max_formats_waiting)
    return fail(ErrorKind::invalid_input,
                "~HS reply is garbage: formats waiting \"" + printable(w, 60) + "\"");
  st.waiting = static_cast<int>(*waiting);
  st.busy = st.waiting > 0;
  return st;
}

Result<std::pair<std::string, int>> parse_printer_address(std::string_view address) {
  const auto colon = address.rfind(':');
  const std::string host(address.substr(0, colon));
  auto bad = [&](std::string_view what) {
    return fail(ErrorKind::config, "expected host:port" + std::string(what) + ", got \"" +
                                       printable(address, 80) + "\"");
  };
  if (host.empty()) return bad(" (the host is missing)");
  if (colon == std::string_view::npos) return std::pair{host, 9100};
  const auto port = parse_digits(address.substr(colon + 1));
  if (!port || *port < 1 || *port > 65535) return bad(" with a port from 1 to 65535");
  return std::pair{host, static_cast<int>(*port)};
}

PrinterStatus parse_tspl_status(unsigned char b) {
  PrinterStatus st;
  st.head_open = b & 0x01;
  st.jammed = b & 0x02;
  st.paper_out = b & 0x04;
  st.ribbon_out = b & 0x08;
  st.paused = b & 0x10;
  st.busy = b & 0x20;
  if (b & 0x80) st.jammed = true;  // "other error": stop as for a jam
  return st;
}

Result<PrinterStatus> parse_escpos_status(std::string_view reply) {
  // Each status byte has bits 1 and 4 set and bits 0 and 7 clear (the manual's fixed bits).
  auto well_formed = [](unsigned char b) { return (b & 0x93) == 0x12; };
  if (reply.size() < 2 || !well_formed(static_cast<unsigned char>(reply[0])) ||
      !well_formed(static_cast<unsigned char>(reply[1])))
    return fail(ErrorKind::invalid_input,
                "status reply is garbage: \"" + printable(reply, 60) + "\"");
  const auto offline = static_cast<unsigned char>(reply[0]);
  const auto paper = static_cast<unsigned char>(reply[1]);
  PrinterStatus st;
  st.head_open = offline & 0x04;
  st.paper_out = (offline & 0x20) || (paper & 0x60);
  st.jammed = offline & 0x40;
  return st;
}

std::string Tcp9100Transport::describe() const {
  return "tcp " + m_s.host + ":" + std::to_string(m_s.port);
}

Result<PrinterStatus> Tcp9100Transport::status() {
  Connection c(m_s);
  if (auto r = c.open(); !r) return std::unexpected(r.error());
  return c.status();
}

PrintOutcome Tcp9100Transport::print(const std::string&, std::span<const std::string> parts) {
  Connection c(m_s);
  if (auto r = c.open(); !r) return {0, r.error(), 0};
  auto before = c.status();
  if (!before) return {0, before.error(), 0};
  if (before->fault()) return {0, fault_error(c.where(), *before), 0};
  // ZPL says how many formats wait in the buffer, so several labels may be on their way and
  // every one that left the buffer without a fault is confirmed. The others say only
  // "busy": one label at a time.
  const int n = static_cast<int>(parts.size());
  const int window = m_s.language == Language::zpl ? std::max(1, m_s.window) : 1;
  int confirmed = 0, sent = 0;
  auto progress_deadline = Clock::now() + m_s.label_timeout;
  while (confirmed < n) {
    while (sent < n && sent - confirmed < window && !stopping()) {
      if (auto r = c.send(parts[sent]); !r) return {confirmed, r.error(), sent + 1 - confirmed};
      ++sent;
    }
    if (sent == confirmed)  // stopping, nothing on its way
      return {confirmed, Error{ErrorKind::cancelled, "stopping"}, 0};
    std::this_thread::sleep_for(m_s.poll);
    auto st = c.status();
    if (!st) return {confirmed, st.error(), sent - confirmed};
    // Labels that left the buffer: TSPL and ESC/POS have one on its way, gone when idle.
    const int waiting = m_s.language == Language::zpl ? st->waiting : (st->busy ? 1 : 0);
    const int left = sent - std::clamp(waiting, 0, sent - confirmed);
    if (st->fault() && m_s.language != Language::zpl)  // cannot tell: the label on its way
      return {confirmed, fault_error(c.where(), *st), sent - confirmed};
    if (st->fault()) {
      // Those that left before the last one printed without a fault. The last to leave may
      // be the one a jam, an opened head or a torn ribbon caught under the head; paper out
      // and pause stop between labels. A ZPL label still waiting is cancelled, so it cannot
      // print once the fault is cleared.
      const bool ruins = st->jammed || st->head_open || st->ribbon_out;
      const int ok = ruins ? std::max(confirmed, left - 1) : left;
      int uncertain = left - ok;
      const bool cancelled = m_s.language == Language::zpl && c.send("~JA").has_value();
      if (sent > left && !cancelled) uncertain = sent - ok;
      return {ok, fault_error(c.where(), *st), uncertain};
    }
    if (left > confirmed) {
      confirmed = left;
      progress_deadline = Clock::now() + m_s.label_timeout;
    } else if (Clock::now() > progress_deadline) {
      return {confirmed,
              Error{ErrorKind::timeout, c.where() + ": label " + std::to_string(confirmed + 1) +
                                            " not printed in " +
                                            std::to_string(m_s.label_timeout.count()) + " ms"},
              sent - confirmed};
    }
  }
  return {n, std::nullopt, 0};
}

}  // namespace fulfil::printers
