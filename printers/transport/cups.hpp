#pragma once
#include <chrono>

#include "transport/transport.hpp"

namespace fulfil::printers {

struct CupsSettings {
  // The queue's IPP URI: a CUPS queue (ipp://host:631/printers/office) or an IPP printer
  // (ipp://10.0.0.7/ipp/print).
  std::string uri;
  std::string user = "fulfild";
  std::string format = "application/pdf";  // the document format of the parts
  std::chrono::seconds job_timeout{300};   // a job not finished by then is a fault
  std::chrono::milliseconds poll{200};
  std::chrono::milliseconds connect_timeout{5000};
};

// CUPS / IPP through libcups: each part is one IPP Print-Job; its job-state is followed
// with Get-Job-Attributes, and only `completed` counts as printed. `aborted` and `canceled`
// stop the job (certainly unprinted, the reasons named); a job still pending or processing
// when time runs out is uncertain. After a crash, a job is found again by its name.
class CupsTransport : public Transport {
 public:
  explicit CupsTransport(CupsSettings s) : m_s(std::move(s)) {}
  PrintOutcome print(const std::string& name, std::span<const std::string> parts) override;
  std::optional<bool> arrived(const std::string& name) override;
  std::string describe() const override { return "cups " + m_s.uri; }

 private:
  CupsSettings m_s;
};

}  // namespace fulfil::printers
