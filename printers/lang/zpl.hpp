#pragma once
#include <string>

#include "raster/bitmap.hpp"

namespace fulfil::printers {

// A bitmap as a ZPL `^GFA` field: hex rows in ZPL's ASCII compression (runs as G..Y and
// g..z counts, ',' for a row ending in white, ':' for a row like the one before).
void append_zpl_graphic(std::string& out, const Bitmap& b);

}  // namespace fulfil::printers
