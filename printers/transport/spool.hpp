#pragma once
#include <filesystem>

#include "transport/transport.hpp"

namespace fulfil::printers {

// A folder that receives one file per job, written whole or not at all (a temporary name,
// fsync, rename, fsync of the folder), for a print server or a person to pick up. The
// embedded default. A job written again under its name replaces the same file: no doubles.
class SpoolTransport : public Transport {
 public:
  SpoolTransport(std::filesystem::path folder, std::string extension);
  // All parts go into one file: all printed, or none.
  PrintOutcome print(const std::string& name, std::span<const std::string> parts) override;
  Result<void> write(const std::string& name, std::string_view bytes);
  std::optional<bool> arrived(const std::string& name) override {
    return std::filesystem::exists(path_of(name));
  }
  std::string describe() const override { return "spool " + m_folder.string(); }
  std::filesystem::path path_of(const std::string& name) const;

 private:
  std::filesystem::path m_folder;
  std::string m_extension;
};

}  // namespace fulfil::printers
