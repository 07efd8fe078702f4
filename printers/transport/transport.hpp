#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace fulfil::printers {

// How one job's bytes reach a printer and how we learn they were printed. `print` returns
// only when the printer confirmed the job (the spool: the file is in place; TCP 9100: the
// status query shows the buffer drained without a fault; CUPS: the job is `completed`).
// Errors say what stopped it (paper out, jam, silence) with a kind the pool decides on.
class Transport {
 public:
  virtual ~Transport() = default;
  // Prints `bytes` as the job `name` (unique per job: a repeat of a name is the same job).
  virtual Result<void> print(const std::string& name, std::string_view bytes) = 0;
  // Whether job `name` was printed, asked after a crash: true/false when the transport can
  // tell (the spool: its file is there), nullopt when only a person can (raw TCP).
  virtual std::optional<bool> arrived(const std::string& name) = 0;
  // "spool /var/lib/fulfild/labels", "tcp 10.0.0.5:9100".
  virtual std::string describe() const = 0;
};

}  // namespace fulfil::printers
