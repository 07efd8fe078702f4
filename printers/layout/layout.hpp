#pragma once
#include "common/error.hpp"
#include "layout/label_data.hpp"
#include "layout/label_template.hpp"
#include "layout/page.hpp"
#include "raster/font.hpp"

namespace fulfil::printers {

// Binds one parcel's data to a template: fields substituted, text wrapped inside its box
// (shrunk down to min_size, then cut with "…" and a warning, or refused where the template
// says must_fit), item tables continued on further pages with their header repeated,
// characters the font lacks printed as □ with a warning, barcodes fitted to their width.
// A two-sided template gives pages front, back, front, back, ...
// Errors (invalid_input) name the template, the element and the field.
Result<Document> lay_out(const LabelTemplate& t, const LabelData& data, TextMetrics& font);

}  // namespace fulfil::printers
