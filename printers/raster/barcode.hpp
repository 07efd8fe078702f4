#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "layout/page.hpp"

namespace fulfil::printers {

// A barcode encoded by libzint: `rows` × `columns` modules, 1 = dark.
struct Symbol {
  int columns = 0, rows = 0;
  std::vector<std::uint8_t> dark;  // row-major
  bool at(int row, int col) const { return dark[row * columns + col] != 0; }
};

// Code 128 (automatic code sets) or QR (error correction level M) of `data`. Errors name
// what libzint refused ("Code 128: invalid character in data").
Result<Symbol> encode_barcode(Symbology symbology, std::string_view data);

// The side in modules of the QR code (level M, one mode) a printer makes of `data`: from
// the capacity tables, without encoding (encoding takes ~50 µs, the layout needs only the
// size). Data past version 10 is encoded to find out.
Result<int> qr_modules(std::string_view data);

}  // namespace fulfil::printers
