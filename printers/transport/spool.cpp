#include "transport/spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fulfil::printers {

namespace {

Error io_error(const std::filesystem::path& p, std::string_view what) {
  return {ErrorKind::storage,
          "spool " + p.string() + ": " + std::string(what) + ": " + std::strerror(errno)};
}

}  // namespace

SpoolTransport::SpoolTransport(std::filesystem::path folder, std::string extension)
    : m_folder(std::move(folder)), m_extension(std::move(extension)) {}

std::filesystem::path SpoolTransport::path_of(const std::string& name) const {
  return m_folder / (name + "." + m_extension);
}

PrintOutcome SpoolTransport::print(const std::string& name, std::span<const std::string> parts) {
  std::string all;
  for (const auto& p : parts) all += p;
  auto r = write(name, all);
  if (!r) return {0, r.error(), 0};
  return {static_cast<int>(parts.size()), std::nullopt, 0};
}

Result<void> SpoolTransport::write(const std::string& name, std::string_view bytes) {
  std::error_code ec;
  std::filesystem::create_directories(m_folder, ec);
  if (ec) return fail(ErrorKind::storage, "spool " + m_folder.string() + ": " + ec.message());
  const auto final_path = path_of(name);
  const auto temp = m_folder / ("." + name + ".tmp");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return std::unexpected(io_error(temp, "open"));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto e = io_error(temp, "write");
      ::close(fd);
      return std::unexpected(e);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return std::unexpected(io_error(temp, "fsync"));
  if (::rename(temp.c_str(), final_path.c_str()) != 0)
    return std::unexpected(io_error(final_path, "rename"));
  const int dir = ::open(m_folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

}  // namespace fulfil::printers
