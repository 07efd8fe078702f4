#include "raster/barcode.hpp"

#include <zint.h>

#include <memory>

namespace fulfil::printers {

Result<Symbol> encode_barcode(Symbology symbology, std::string_view data) {
  const char* name = symbology == Symbology::qr ? "QR code" : "Code 128";
  if (data.empty()) return fail(ErrorKind::invalid_input, std::string(name) + ": no data");
  std::unique_ptr<zint_symbol, void (*)(zint_symbol*)> s(ZBarcode_Create(), ZBarcode_Delete);
  if (!s) return fail(ErrorKind::internal, "libzint: out of memory");
  if (symbology == Symbology::qr) {
    s->symbology = BARCODE_QRCODE;
    s->option_1 = 2;  // error correction M: survives a scuffed label
    s->input_mode = UNICODE_MODE;
  } else {
    s->symbology = BARCODE_CODE128;
    s->input_mode = DATA_MODE;
  }
  const int rc = ZBarcode_Encode(s.get(), reinterpret_cast<const unsigned char*>(data.data()),
                                 static_cast<int>(data.size()));
  if (rc >= ZINT_ERROR)
    return fail(ErrorKind::invalid_input,
                std::string(name) + " of \"" + std::string(data) + "\": " + s->errtxt);
  Symbol out;
  out.columns = s->width;
  out.rows = s->rows;
  out.dark.resize(static_cast<std::size_t>(out.columns) * out.rows);
  // encoded_data packs each row's modules 8 to a byte, least significant bit first.
  for (int r = 0; r < out.rows; ++r)
    for (int c = 0; c < out.columns; ++c)
      out.dark[r * out.columns + c] = (s->encoded_data[r][c >> 3] >> (c & 7)) & 1;
  return out;
}

Result<int> qr_modules(std::string_view data) {
  // Characters each version 1..10 holds at error correction level M.
  static constexpr int k_numeric[] = {34, 63, 101, 149, 202, 255, 293, 365, 432, 513};
  static constexpr int k_alnum[] = {20, 38, 61, 90, 122, 154, 178, 221, 262, 311};
  static constexpr int k_byte[] = {14, 26, 42, 62, 84, 106, 122, 152, 180, 213};
  constexpr std::string_view k_alnum_set = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  const bool numeric = data.find_first_not_of("0123456789") == std::string_view::npos;
  const bool alnum = data.find_first_not_of(k_alnum_set) == std::string_view::npos;
  const int* capacity = numeric ? k_numeric : alnum ? k_alnum : k_byte;
  for (int v = 0; v < 10; ++v)
    if (static_cast<int>(data.size()) <= capacity[v]) return 21 + 4 * v;
  auto symbol = encode_barcode(Symbology::qr, data);
  if (!symbol) return std::unexpected(symbol.error());
  return symbol->columns;
}

}  // namespace fulfil::printers
