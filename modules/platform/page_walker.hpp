#pragma once
#include <functional>

#include "platform/top_client.hpp"

namespace fulfil::platform {

// Reads every page of one query whose result is sorted newest-modified first and may shift
// while we read (a trade modified during paging leaves the window, and those after it
// move up one place). Reading forwards would then skip a trade at each page boundary;
// reading backwards from the last page can only see one twice, which the idempotent store
// absorbs. So: page 1 first to learn the total, then the last page down to page 1 again.
// `fetch(page_no, use_has_next)` gets a page; `store(page)` keeps it. The next page is
// fetched on another thread while one is stored (one fetch at a time; `fetch` must not
// touch what `store` uses). Stops at the first error. Returns the number of pages read.
Result<int> walk_pages_backwards(int page_size,
                                 const std::function<Result<TradePage>(int, bool)>& fetch,
                                 const std::function<Result<void>(TradePage&)>& store);

}  // namespace fulfil::platform
