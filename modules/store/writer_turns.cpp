#include "store/writer_turns.hpp"

#include "store/database.hpp"

#include <time.h>

#include <filesystem>

namespace fulfil::store {

namespace {

thread_local std::string t_holder = "other";

// This thread's CPU time; a syscall, taken twice a turn (a turn lasts milliseconds).
std::chrono::nanoseconds thread_cpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

}  // namespace

WriterTurns::WriterTurns() = default;
WriterTurns::~WriterTurns() = default;

Connection& WriterTurns::shared_writer(const std::function<std::unique_ptr<Connection>()>& open) {
  if (!m_writer) m_writer = open();
  return *m_writer;
}

void WriterTurns::forget_shared_writer() {
  m_writer.reset();
}

void WriterTurns::name_holder(std::string name) {
  t_holder = std::move(name);
}

std::shared_ptr<WriterTurns> WriterTurns::of(const std::string& file) {
  static std::mutex registry_mutex;
  static std::map<std::string, std::weak_ptr<WriterTurns>> registry;
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(file, ec);
  const std::string key = ec ? file : canonical.string();
  std::lock_guard lock(registry_mutex);
  auto& slot = registry[key];
  auto turns = slot.lock();
  if (!turns) {
    turns = std::make_shared<WriterTurns>();
    slot = turns;
  }
  return turns;
}

bool WriterTurns::acquire(std::chrono::milliseconds patience) {
  std::unique_lock lock(m_mutex);
  if (m_serving != m_next && m_holder == std::this_thread::get_id()) return false;
  const std::uint64_t ticket = m_next++;
  if (m_turn.wait_for(lock, patience, [&] { return m_serving == ticket; })) {
    m_holder = std::this_thread::get_id();
    m_taken_at = std::chrono::steady_clock::now();
    m_cpu_at_take = thread_cpu();
    return true;
  }
  // Late: those behind must not wait for a ticket nobody will use.
  m_gave_up.insert(ticket);
  return false;
}

void WriterTurns::release() {
  {
    std::lock_guard lock(m_mutex);
    m_holder = {};
    Usage& u = m_usage[t_holder];
    ++u.turns;
    // The CPU clock is read inside the wall-clock interval (after it at the take, before it
    // here), so a turn's CPU time can never come out longer than the turn.
    u.on_cpu += thread_cpu() - m_cpu_at_take;
    u.held += std::chrono::steady_clock::now() - m_taken_at;
    ++m_serving;
    advance();
  }
  m_turn.notify_all();
}

WriterTurns::Usage WriterTurns::usage() const {
  Usage all;
  for (const auto& [holder, u] : usage_by_holder()) all += u;
  return all;
}

std::map<std::string, WriterTurns::Usage> WriterTurns::usage_by_holder() const {
  std::lock_guard lock(m_mutex);
  return m_usage;
}

void WriterTurns::advance() {
  while (m_gave_up.erase(m_serving)) ++m_serving;
}

}  // namespace fulfil::store
