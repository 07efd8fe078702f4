#include "platform/page_walker.hpp"

#include <future>

namespace fulfil::platform {

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
  // The next page is fetched (HTTP and parsing) while this one is written: the order of
  // fetches and of writes is the same as one after the other, only their times overlap.
  // Only one fetch runs at a time; the store stays on this thread with its connection.
  auto ahead = std::async(std::launch::async, fetch, last, true);
  if (auto s = store(*first); !s) return std::unexpected(s.error());  // `ahead` is awaited
  int pages = 1;
  for (int page_no = last; page_no >= 1; --page_no) {
    auto page = ahead.get();
    if (!page) return std::unexpected(page.error());
    if (page_no > 1) ahead = std::async(std::launch::async, fetch, page_no - 1, true);
    if (auto s = store(*page); !s) return std::unexpected(s.error());
    ++pages;
  }
  return pages;
}

}  // namespace fulfil::platform
