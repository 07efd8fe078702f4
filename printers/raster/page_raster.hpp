#pragma once
#include "layout/page.hpp"
#include "raster/bitmap.hpp"

namespace fulfil::printers {

// A whole page as one bitmap at the document's resolution: text from the glyph cache,
// rules, and barcodes module by module.
Result<Bitmap> rasterise(const Document& doc, const Page& page, Font& font);

}  // namespace fulfil::printers
