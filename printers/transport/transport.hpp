#pragma once
#include <atomic>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace fulfil::printers {

// What became of a job: its first `printed` parts were confirmed printed; `error` says why
// it stopped short. `uncertain`: that many parts after those may have printed (the printer
// stopped or fell silent with them under the head or in its buffer) and a person must look;
// the rest certainly did not print and may go to another printer.
struct PrintOutcome {
  int printed = 0;
  std::optional<Error> error;
  int uncertain = 0;  // parts after the printed ones that may have printed
};

// How a job's bytes reach a printer and how we learn they were printed. A job is a list of
// parts (a label each for thermal printers; one PDF for a whole batch); `print` returns
// when each part was confirmed or the printer stopped: the spool confirms a file in place,
// TCP 9100 the status query showing the label left the buffer without a fault, CUPS the
// job `completed`.
class Transport {
 public:
  virtual ~Transport() = default;
  // Prints the parts of job `name` (unique per job: a repeat of a name is the same job).
  virtual PrintOutcome print(const std::string& name, std::span<const std::string> parts) = 0;
  // Whether job `name` was printed, asked after a crash: true/false when the transport can
  // tell (the spool: its file is there), nullopt when only a person can (raw TCP).
  virtual std::optional<bool> arrived(const std::string& name) = 0;
  // "spool /var/lib/fulfild/labels", "tcp 10.0.0.5:9100".
  virtual std::string describe() const = 0;
  // A flag that, once set, makes a job stop after the label printing now (shutdown): the
  // rest come back unprinted, for certain.
  void stop_when(const std::atomic<bool>* flag) { m_stop = flag; }

 protected:
  bool stopping() const { return m_stop && m_stop->load(); }

 private:
  const std::atomic<bool>* m_stop = nullptr;
};

}  // namespace fulfil::printers
