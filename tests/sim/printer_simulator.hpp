#pragma once
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace fulfil::sim {

// A label printer on 127.0.0.1 speaking ZPL or TSPL over raw TCP (port 9100 style): it
// parses what it receives into label formats (so tests can assert what was printed), prints
// them one by one at a set rate, answers status queries (~HS for ZPL, <ESC>!? for TSPL) as
// the real ones do, and has faults on demand: jam or run out of paper after k more labels,
// pause, or go silent (takes bytes, answers and prints nothing). ZPL's ~JA cancels the
// formats waiting.
class PrinterSimulator {
 public:
  enum class Language { zpl, tspl };
  struct Options {
    Language language = Language::zpl;
    double labels_per_second = 200;
    bool silent_when_out = false;  // a Zebra may not answer ~HS while out of media
    bool check_graphics = true;    // decode every ^GFA (off where the simulator's CPU counts)
  };
  explicit PrinterSimulator(Options options);
  ~PrinterSimulator();
  PrinterSimulator(const PrinterSimulator&) = delete;
  PrinterSimulator& operator=(const PrinterSimulator&) = delete;

  unsigned short port() const { return m_port; }
  std::string address() const { return "127.0.0.1:" + std::to_string(m_port); }

  // Faults. A jam or paper-out strikes while printing the label after the next `k`.
  void jam_after(int k);
  void paper_out_after(int k);
  void pause();
  void go_silent();
  // Answers every status query with `reply` as it stands (a broken firmware, a device that
  // is not a printer); an empty reply goes back to real answers.
  void answer_status_with(std::string reply);
  // Clears any fault (the operator fixed it); printing resumes with what is waiting.
  void clear();

  // The Code 128 data (the tracking number) of every label printed, in order.
  std::vector<std::string> printed() const;
  // Labels that were being printed when a fault struck: ruined, not printed.
  std::vector<std::string> ruined() const;
  int waiting() const;
  // Formats that did not parse (a ^GFA that does not decode, a TSPL bitmap cut short).
  int garbage() const;
  // Seconds spent printing labels to the end (for utilisation).
  double busy_seconds() const;

 private:
  struct Format {
    std::string id;
  };
  void accept();
  void read(std::shared_ptr<boost::asio::ip::tcp::socket> s, std::shared_ptr<std::string> buffer);
  // Consumes complete commands from `buf`; returns bytes to answer.
  std::string parse(std::string& buf);
  void enqueue(Format f);
  std::string status_zpl() const;
  char status_tspl() const;
  void tick();

  Options m_o;
  boost::asio::io_context m_io;
  boost::asio::ip::tcp::acceptor m_acceptor;
  boost::asio::steady_timer m_timer;
  std::thread m_thread;
  unsigned short m_port = 0;

  mutable std::mutex m_mutex;
  std::deque<Format> m_queue;
  std::vector<std::string> m_printed, m_ruined;
  int m_garbage = 0;
  std::string m_tspl_label;          // the Code 128 data of the TSPL label being received
  int m_jam_in = -1, m_out_in = -1;  // labels until the fault; -1: none
  bool m_jammed = false, m_paper_out = false, m_paused = false, m_silent = false;
  std::string m_status_override;
  double m_busy = 0;
  bool m_ticking = false;  // the head's timer runs (only while formats wait)
  std::optional<std::chrono::steady_clock::time_point> m_started;  // label under the head
};

}  // namespace fulfil::sim
