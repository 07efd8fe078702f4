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

}  // namespace fulfil::printers
