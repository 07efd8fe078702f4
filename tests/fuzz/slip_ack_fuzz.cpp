// What the customer-service module sends back over ZeroMQ: the frames of one message
// (split here at NUL bytes), of which only "ACK" + a slip id is an ack.
#include <vector>

#include "aftersale/slip.hpp"
#include "fuzz_support.hpp"

using namespace fulfil;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  std::vector<std::string_view> frames;
  do frames.push_back(in.part('\0'));
  while (!in.rest().empty() && frames.size() < 64);
  const auto id = aftersale::acked_slip(frames);
  if (id && (frames.size() != 2 || frames[0] != "ACK" || *id != frames[1])) __builtin_trap();
  return 0;
}
