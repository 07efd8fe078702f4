// libfiu's POSIX preload wraps open() but not open64(), which is what SQLite (and most of
// glibc's callers built with large-file support) call: this wrapper puts open64() under the
// same failure point, posix/io/oc/open, so `fiu-ctrl -c 'enable name=posix/io/oc/open'`
// reaches the store's files too. Loaded after fiu_run_preload.so (which brings libfiu), it
// looks fiu_fail up at run time rather than linking its own copy of libfiu's table.
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>

#include <cstdarg>

namespace {

using OpenFn = int (*)(const char*, int, ...);
using FailFn = int (*)(const char*);

OpenFn real_open64() {
  static OpenFn fn = reinterpret_cast<OpenFn>(dlsym(RTLD_NEXT, "open64"));
  return fn;
}

bool fails() {
  static FailFn fiu_fail = reinterpret_cast<FailFn>(dlsym(RTLD_DEFAULT, "fiu_fail"));
  return fiu_fail && fiu_fail("posix/io/oc/open") != 0;
}

}  // namespace

extern "C" int open64(const char* path, int flags, ...) {
  mode_t mode = 0;
  if (flags & (O_CREAT | O_TMPFILE)) {
    va_list ap;
    va_start(ap, flags);
    mode = static_cast<mode_t>(va_arg(ap, int));
    va_end(ap);
  }
  if (fails()) {
    errno = EIO;  // as libfiu's open() does for its own error list, one plausible error
    return -1;
  }
  return real_open64()(path, flags, mode);
}
