#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>

namespace fulfil {

// Seconds since the Unix epoch, UTC. Every stored time in fulfild is one of these.
using UnixSeconds = std::int64_t;

// Source of "now"; injected wherever time matters so tests can move it.
class Clock {
 public:
  virtual ~Clock() = default;
  // The current time, UTC seconds.
  virtual UnixSeconds now() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  UnixSeconds now() const override {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock tests set and advance by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(UnixSeconds start) : m_now(start) {}
  UnixSeconds now() const override { return m_now.load(); }
  void set(UnixSeconds t) { m_now.store(t); }
  void advance(std::int64_t seconds) { m_now.fetch_add(seconds); }

 private:
  std::atomic<UnixSeconds> m_now;
};

}  // namespace fulfil
