#pragma once
#include <string>

#include "layout/label_data.hpp"
#include "layout/label_template.hpp"

namespace fulfil::test {

// The parcel the golden tests print: a long Chinese address, an emoji in the buyer's
// message and `lines` item lines.
printers::LabelData sample_label(int lines = 12);

// A template from config/labels/ in the source tree.
printers::LabelTemplate source_template(const std::string& file_name);

}  // namespace fulfil::test
