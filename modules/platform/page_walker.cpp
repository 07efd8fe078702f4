#include "platform/page_walker.hpp"

namespace fulfil::platform {

Result<int> walk_pages_backwards(int page_size,
                                 const std::function<Result<TradePage>(int, bool)>& fetch,
                                 const std::function<Result<void>(TradePage&)>& store) {
  auto first = fetch(1, false);
  if (!first) return std::unexpected(first.error());
  if (auto s = store(*first); !s) return std::unexpected(s.error());
  const std::int64_t total = first->total_results.value_or(0);
  if (total <= page_size) return 1;  // one page holds everything: nothing can shift past it
  const int last = static_cast<int>((total + page_size - 1) / page_size);
  int pages = 1;
  for (int page_no = last; page_no >= 1; --page_no) {
    auto page = fetch(page_no, true);
    if (!page) return std::unexpected(page.error());
    if (auto s = store(*page); !s) return std::unexpected(s.error());
    ++pages;
  }
  return pages;
}

}  // namespace fulfil::platform
