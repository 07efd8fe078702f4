// A printer's status replies: ZPL's ~HS (three STX…ETX lines), TSPL's status byte, ESC/POS's
// two DLE EOT bytes. A printer that answers garbage is an error, never a crash (defect 22).
#include "fuzz_support.hpp"
#include "transport/tcp9100.hpp"

using namespace fulfil;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  switch (in.byte() % 3) {
    case 0:
      if (auto st = printers::parse_zpl_status(in.rest()); st && st->waiting < 0) __builtin_trap();
      break;
    case 1:
      (void)printers::parse_tspl_status(in.byte()).describe();
      break;
    default:
      if (auto st = printers::parse_escpos_status(in.rest())) (void)st->describe();
      break;
  }
  return 0;
}
