#pragma once
#include <chrono>

#include "lang/language.hpp"
#include "transport/transport.hpp"

namespace fulfil::printers {

// A printer's own account of itself, from its status query.
struct PrinterStatus {
  bool paper_out = false, paused = false, head_open = false, ribbon_out = false, jammed = false;
  bool busy = false;  // TSPL: printing; ZPL: formats waiting
  int waiting = -1;   // formats in the buffer (ZPL), -1 when the language does not say
  bool fault() const { return paper_out || paused || head_open || ribbon_out || jammed; }
  std::string describe() const;  // "paper out, paused" or "ready"
};

struct TcpSettings {
  std::string host = "127.0.0.1";
  int port = 9100;
  Language language = Language::zpl;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds answer_timeout{2000};  // for a status reply: none is a fault
  std::chrono::milliseconds label_timeout{30000};  // for one label to leave the buffer
  std::chrono::milliseconds poll{20};
  int window = 8;  // ZPL: labels sent ahead while earlier ones print
};

// Raw TCP 9100 (JetDirect/AppSocket). Sending is not printing: labels are confirmed by
// status queries (~HS for ZPL, <ESC>!? for TSPL, DLE EOT for ESC/POS) as they leave the
// printer's buffer — for ZPL up to `window` on their way at once, counted by the formats
// waiting; for the others one at a time — so a fault stops the job knowing which labels
// printed. ZPL labels still waiting when the printer stops are cancelled (~JA) and
// certainly unprinted; the label that left last before a fault (a jam ruins it), and any
// label on its way when the printer fell silent, is uncertain.
class Tcp9100Transport : public Transport {
 public:
  explicit Tcp9100Transport(TcpSettings s) : m_s(std::move(s)) {}
  PrintOutcome print(const std::string& name, std::span<const std::string> parts) override;
  std::optional<bool> arrived(const std::string&) override { return std::nullopt; }
  std::string describe() const override;
  // Asks the printer for its status on a fresh connection.
  Result<PrinterStatus> status();

 private:
  TcpSettings m_s;
};

// A printer's "host:port" (the port 9100 when left out); a missing host, or a port that is
// not a number from 1 to 65535, is a config error naming the address.
Result<std::pair<std::string, int>> parse_printer_address(std::string_view address);

// Parses a ZPL ~HS reply (three <STX>...<ETX><CR><LF> lines); garbage is invalid_input.
Result<PrinterStatus> parse_zpl_status(std::string_view reply);
PrinterStatus parse_tspl_status(unsigned char byte);
// Parses the two bytes an ESC/POS printer answers to DLE EOT 2 and DLE EOT 4; garbage is
// invalid_input.
Result<PrinterStatus> parse_escpos_status(std::string_view reply);

}  // namespace fulfil::printers
