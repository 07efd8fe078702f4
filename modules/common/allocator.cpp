#include "common/allocator.hpp"

#include <malloc.h>

namespace fulfil {

void tune_allocator() {
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_TOP_PAD, 8 << 20);
  mallopt(M_MMAP_THRESHOLD, 16 << 20);
}

}  // namespace fulfil
