#include "process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <stdexcept>
#include <thread>

#include "test_support.hpp"

extern char** environ;

namespace fulfil::test {

Process::Process(const std::string& program, const std::vector<std::string>& args,
                 const std::filesystem::path& log_dir,
                 const std::map<std::string, std::string>& env) {
  static std::atomic<int> counter{0};
  const std::string tag =
      std::filesystem::path(program).filename().string() + "-" + std::to_string(++counter);
  m_out = log_dir / (tag + ".out");
  m_err = log_dir / (tag + ".err");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, m_out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, m_err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> argv_s{program};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_s;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    if (!env.contains(kv.substr(0, kv.find('=')))) env_s.push_back(kv);
  }
  for (const auto& [k, v] : env) env_s.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);
  int rc = posix_spawn(&m_pid, program.c_str(), &fa, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) throw std::runtime_error("cannot start " + program);
}

Process::~Process() {
  if (running()) {
    ::kill(m_pid, SIGKILL);
    wait(std::chrono::seconds(10));
  }
}

void Process::signal(int sig) {
  ::kill(m_pid, sig);
}

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
  if (m_status) return m_status;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    int st = 0;
    pid_t r = ::waitpid(m_pid, &st, WNOHANG);
    if (r == m_pid) {
      m_status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      return m_status;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

bool Process::running() {
  return !m_status && !wait(std::chrono::milliseconds(0));
}

std::string Process::stdout_text() const {
  return read_file(m_out);
}
std::string Process::stderr_text() const {
  return read_file(m_err);
}

RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const std::filesystem::path& log_dir,
                      const std::map<std::string, std::string>& env,
                      std::chrono::milliseconds timeout) {
  Process p(program, args, log_dir, env);
  auto st = p.wait(timeout);
  RunResult r;
  r.status = st ? *st : -1;
  r.out = p.stdout_text();
  r.err = p.stderr_text();
  return r;
}

SimProcess start_sim(const std::string& binary, const std::vector<std::string>& args,
                     const std::filesystem::path& log_dir) {
  SimProcess s;
  const std::string name = std::filesystem::path(binary).filename().string();
  s.process = std::make_unique<Process>(binary, args, log_dir);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string out = s.process->stdout_text();
    if (auto pos = out.find("READY ");
        pos != std::string::npos && out.find('\n', pos) != std::string::npos) {
      s.port = static_cast<unsigned short>(std::stoi(out.substr(pos + 6)));
      return s;
    }
    if (!s.process->running())
      throw std::runtime_error(name + " exited: " + s.process->stderr_text());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error(name + " did not become ready");
}

SimProcess start_top_sim(const std::vector<std::string>& args,
                         const std::filesystem::path& log_dir) {
  return start_sim(TOP_SIM_BINARY, args, log_dir);
}

std::map<std::string, std::string> staff_token(const std::filesystem::path& config,
                                               const std::string& role,
                                               const std::filesystem::path& log_dir) {
  static int made = 0;
  auto r = run_program(FULFILD_BINARY,
                       {"--config", config.string(), "token", "add",
                        "test-" + role + "-" + std::to_string(++made), "--role", role},
                       log_dir);
  if (r.status != 0) throw std::runtime_error("fulfild token add failed: " + r.err);
  return {{"Authorization", "Bearer " + r.out.substr(0, r.out.find('\n'))}};
}

}  // namespace fulfil::test
