#pragma once
#include <string>
#include <vector>

namespace fulfil::printers {

// A laid-out label: positions and sizes in printer dots, origin top left. Every printer
// language draws exactly these items, so all of them put the same thing in the same place.

// One line of text, already broken and fitted. `y` is the top of the em box; the baseline
// is `y + ascent` of the font at `size`.
struct TextItem {
  int x = 0, y = 0;
  int size = 0;  // em height in dots
  std::string text;
};

enum class Symbology { code128, qr };

// A barcode of `modules` columns (and rows, for QR) drawn `module` dots each.
struct CodeItem {
  Symbology symbology = Symbology::code128;
  int x = 0, y = 0;
  int module = 1;   // dots per module
  int height = 0;   // bar height in dots (code128); the symbol's side for QR
  int modules = 0;  // encoded width in modules
  std::string data;
};

// A filled rectangle: lines, box edges.
struct RuleItem {
  int x = 0, y = 0, w = 0, h = 0;
};

struct Page {
  std::vector<TextItem> texts;
  std::vector<CodeItem> codes;
  std::vector<RuleItem> rules;
};

// One parcel's label (a waybill, or a packing list with its back) ready for a renderer.
struct Document {
  std::string template_name;
  int dpi = 203;
  int width = 0, height = 0;  // dots
  double width_mm = 0, height_mm = 0;
  bool duplex = false;  // pages alternate front/back of one sheet
  std::vector<Page> pages;
  std::vector<std::string> warnings;  // text cut to fit, characters missing from the font
};

}  // namespace fulfil::printers
