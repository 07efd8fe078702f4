#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace fulfil::store {

class Connection;

// The turns of one process's writers to one SQLite file, first come first served.
// SQLite lets one writer in at a time and makes the others poll (its busy handler sleeps
// 1, 2, 5 … 100 ms between tries), so eight printer threads and the sync writing at once
// spent most of their time asleep while the lock stood free. Waiting here instead hands
// the lock over the moment it is released, in arrival order. Other processes (the CLI)
// still meet SQLite's busy timeout.
class WriterTurns {
 public:
  // The turns shared by every connection of this process to `file` (by canonical path).
  static std::shared_ptr<WriterTurns> of(const std::string& file);

  // Waits for this thread's turn, at most `patience`; false when it did not come. A thread
  // that already holds the turn (a second connection on the same thread) is not made to
  // wait for itself: it gets false at once and meets SQLite's own lock instead.
  bool acquire(std::chrono::milliseconds patience);
  void release();

  // Turns taken, the time they were held and the CPU time their holders used meanwhile,
  // summed. With one writer at a time, the share of a run the turn was held says whether the
  // writes are what limits it; held time beyond CPU time is fsyncs and waits for a core.
  struct Usage {
    std::uint64_t turns = 0;
    std::chrono::nanoseconds held{0};
    std::chrono::nanoseconds on_cpu{0};
    Usage& operator+=(const Usage& o) {
      turns += o.turns;
      held += o.held;
      on_cpu += o.on_cpu;
      return *this;
    }
    // What was used between an earlier reading `o` and this one.
    Usage operator-(const Usage& o) const {
      return {turns - o.turns, held - o.held, on_cpu - o.on_cpu};
    }
  };
  Usage usage() const;
  // The same, by holder: what each thread said it does (name_holder), "other" if it did not.
  std::map<std::string, Usage> usage_by_holder() const;
  // Names the calling thread's work in the accounts above ("review", "print", a job's name).
  static void name_holder(std::string name);

  // The connection the holders of the turn write through (see WriteTransaction), opened by
  // `open` on first use. Only the turn's holder may call this or use the connection.
  Connection& shared_writer(const std::function<std::unique_ptr<Connection>()>& open);
  // Closes it (it failed to begin or to roll back): the next holder opens a fresh one.
  void forget_shared_writer();

  WriterTurns();
  ~WriterTurns();

 private:
  mutable std::mutex m_mutex;
  std::condition_variable m_turn;
  std::uint64_t m_next = 0;           // the ticket the next arrival draws
  std::uint64_t m_serving = 0;        // the ticket whose turn it is
  std::set<std::uint64_t> m_gave_up;  // tickets whose holders stopped waiting
  std::thread::id m_holder;
  std::chrono::steady_clock::time_point m_taken_at;  // when the turn being held began
  std::chrono::nanoseconds m_cpu_at_take{0};         // the holder's CPU time then
  std::map<std::string, Usage> m_usage;              // by holder
  std::unique_ptr<Connection> m_writer;
  void advance();
};

}  // namespace fulfil::store
