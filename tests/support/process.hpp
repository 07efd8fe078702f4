#pragma once
#include <signal.h>
#include <sys/types.h>
#include "test_paths.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace fulfil::test {

// A child process started with posix_spawn; stdout and stderr go to files.
class Process {
 public:
  Process(const std::string& program, const std::vector<std::string>& args,
          const std::filesystem::path& log_dir, const std::map<std::string, std::string>& env = {});
  ~Process();  // SIGKILLs a child still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return m_pid; }
  void signal(int sig);
  // Waits for the exit; returns the exit status, or 128+signal, or nullopt on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  bool running();
  std::string stdout_text() const;
  std::string stderr_text() const;

 private:
  pid_t m_pid = -1;
  std::optional<int> m_status;
  std::filesystem::path m_out, m_err;
};

// One program restarted after each kill; what every life said on stderr is kept.
class Restartable {
 public:
  Restartable(std::string program, std::vector<std::string> args, std::filesystem::path dir,
              std::map<std::string, std::string> env = {})
      : m_program(std::move(program)),
        m_args(std::move(args)),
        m_dir(std::move(dir)),
        m_env(std::move(env)) {}
  void start() {
    std::lock_guard lock(m_mutex);
    m_process = std::make_unique<Process>(m_program, m_args, m_dir, m_env);
  }
  void kill(int sig = SIGKILL) {
    std::lock_guard lock(m_mutex);
    if (!m_process) return;
    m_process->signal(sig);
    m_process->wait(std::chrono::seconds(30));
    m_said += m_process->stderr_text();
    m_process.reset();
  }
  std::string said() {
    std::lock_guard lock(m_mutex);
    return m_said;
  }
  // The running life's pid (-1 between lives), and whether it is still alive.
  pid_t pid() {
    std::lock_guard lock(m_mutex);
    return m_process ? m_process->pid() : -1;
  }
  bool running() {
    std::lock_guard lock(m_mutex);
    return m_process && m_process->running();
  }
  // What this life said on stderr so far.
  std::string saying() {
    std::lock_guard lock(m_mutex);
    return m_process ? m_process->stderr_text() : std::string();
  }

 private:
  std::string m_program;
  std::vector<std::string> m_args;
  std::filesystem::path m_dir;
  std::map<std::string, std::string> m_env;
  std::mutex m_mutex;
  std::unique_ptr<Process> m_process;
  std::string m_said;
};

// Runs a program to completion; returns its exit status and output.
struct RunResult {
  int status = -1;
  std::string out, err;
};
RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const std::filesystem::path& log_dir,
                      const std::map<std::string, std::string>& env = {},
                      std::chrono::milliseconds timeout = std::chrono::minutes(5));

// The header {"Authorization": "Bearer ..."} of a new API token with `role`, made with
// `fulfild --config CONFIG token add` on the daemon's store before the test calls its API.
std::map<std::string, std::string> staff_token(const std::filesystem::path& config,
                                               const std::string& role,
                                               const std::filesystem::path& log_dir);

// Starts top-sim with the given options and waits for its READY line; returns its port.
struct SimProcess {
  std::unique_ptr<Process> process;
  unsigned short port = 0;
};
SimProcess start_top_sim(const std::vector<std::string>& args,
                         const std::filesystem::path& log_dir);
// Any simulator program that prints "READY <port>" once listening.
SimProcess start_sim(const std::string& binary, const std::vector<std::string>& args,
                     const std::filesystem::path& log_dir);

}  // namespace fulfil::test
