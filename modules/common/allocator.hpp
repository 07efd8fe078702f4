#pragma once

namespace fulfil {

// Tells glibc malloc to keep freed memory for reuse rather than hand it back to the kernel
// after every page of trades: trimming the heap and faulting it back in cost more than a
// third of a sync's time (measured with perf). Bounds: up to 64 MB kept, blocks under
// 16 MB from the heap. Call once, early in main.
void tune_allocator();

}  // namespace fulfil
