#include "platform/page_walker.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace fulfil::platform {

namespace {

// Pages fetched ahead on a thread of their own, in the order they are asked for, at most
// `depth` waiting: the fetcher (HTTP, parsing) and the writer overlap instead of taking
// turns. Only this thread fetches; the caller's thread stores.
class PagesAhead {
 public:
  PagesAhead(const std::function<Result<TradePage>(int, bool)>& fetch, int from, std::size_t depth)
      : m_depth(depth), m_thread([this, &fetch, from] { run(fetch, from); }) {}
  ~PagesAhead() {
    {
      std::lock_guard lock(m_mutex);
      m_stop = true;
    }
    m_changed.notify_all();
    m_thread.join();
  }
  Result<TradePage> next() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return !m_ready.empty(); });
    auto page = std::move(m_ready.front());
    m_ready.pop_front();
    m_changed.notify_all();
    return page;
  }

 private:
  void run(const std::function<Result<TradePage>(int, bool)>& fetch, int from) {
    for (int page_no = from; page_no >= 1; --page_no) {
      {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_stop || m_ready.size() < m_depth; });
        if (m_stop) return;
      }
      auto page = fetch(page_no, true);
      const bool failed = !page;
      {
        std::lock_guard lock(m_mutex);
        m_ready.push_back(std::move(page));
      }
      m_changed.notify_all();
      if (failed) return;  // the reader stops at the error
    }
  }
  const std::size_t m_depth;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<Result<TradePage>> m_ready;
  bool m_stop = false;
  std::thread m_thread;  // last: it starts once the rest is ready
};

}  // namespace

Result<int> walk_pages_backwards(int page_size,
                                 const std::function<Result<TradePage>(int, bool)>& fetch,
                                 const std::function<Result<void>(TradePage&)>& store) {
  auto first = fetch(1, false);
  if (!first) return std::unexpected(first.error());
  const std::int64_t total = first->total_results.value_or(0);
  if (total <= page_size) {
    if (auto s = store(*first); !s) return std::unexpected(s.error());
    return 1;  // one page holds everything: nothing can shift past it
  }
  const int last = static_cast<int>((total + page_size - 1) / page_size);
  PagesAhead ahead(fetch, last, 16);
  if (auto s = store(*first); !s) return std::unexpected(s.error());
  int pages = 1;
  for (int page_no = last; page_no >= 1; --page_no) {
    auto page = ahead.next();
    if (!page) return std::unexpected(page.error());
    if (auto s = store(*page); !s) return std::unexpected(s.error());
    ++pages;
  }
  return pages;
}

}  // namespace fulfil::platform
