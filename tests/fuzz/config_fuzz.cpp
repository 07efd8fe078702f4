// The config file: TOML with every section, key and value checked and every problem named
// with its line.
#include "config.hpp"
#include "fuzz_support.hpp"

using namespace fulfil;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = daemon::parse_config(text, "fuzz.toml");
  if (!config && config.error().message.empty()) __builtin_trap();  // a refusal says why
  return 0;
}
