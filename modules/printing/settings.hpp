#pragma once
#include <optional>
#include <string>
#include <vector>

#include "lang/language.hpp"

namespace fulfil::printing {

enum class LabelKind { waybill, packing_list };
std::string_view to_string(LabelKind k);
std::optional<LabelKind> parse_label_kind(std::string_view s);

enum class TransportKind { spool, tcp, cups };

// The order labels print in: key cities first (then by payment time), grouped by courier
// (each courier's pile ready for its pickup), by serial number, or along the pick walk (each
// job takes its labels in key-city order, then prints them by the first stock location of
// the parcel's SKUs, so the picker walks the aisles once; SKUs without one go last).
enum class PrintOrder { key_city, courier, serial, pick_location };

// One printer as configured ([[printing.printers]]).
struct PrinterSettings {
  std::string name;
  printers::Language language = printers::Language::zpl;
  TransportKind transport = TransportKind::spool;
  std::string target;  // spool: a folder; tcp: host:port; cups: a queue name
  std::vector<LabelKind> kinds{LabelKind::waybill};
  std::string station;  // which pack station it stands at
  printers::RenderSettings render;
  int print_minutes = 0, rest_minutes = 0;  // duty cycle; 0: prints without rest
  int answer_timeout_ms = 2000;             // tcp: a status query unanswered this long = silent
  int label_timeout_seconds = 30;           // tcp: one label not printed in this long = fault
  int poll_ms = 20;                         // tcp: status queries while a label prints
  int window = 8;                           // tcp, ZPL: labels sent ahead of the printing one
};

// The return address printed on the back of packing lists.
struct ReturnAddress {
  std::string name, phone, address;
};

// [printing]
struct PrintSettings {
  bool enabled = true;
  std::string font = "WenQuanYi Zen Hei";
  std::string templates_dir;  // overrides or adds templates; empty: the built-in ones
  std::string waybill_template = "waybill-76x130";
  std::string packing_template = "packing-list-a5";
  std::string pick_list_template = "pick-list-a4";  // a wave's pick list (PDF)
  bool packing_lists = true;                        // print a packing list with every waybill
  int batch = 200;                                  // labels per job
  PrintOrder order = PrintOrder::key_city;
  int fault_retry_seconds = 30;  // a printer that stopped is asked again after this
  int jobs_per_pass = 1000;      // jobs a printer takes in one pass of the print job
  std::string warehouse = "一号仓";
  ReturnAddress returns;
  std::vector<PrinterSettings> printers;

  const PrinterSettings* find(const std::string& name) const;
  bool prints(LabelKind k) const { return k == LabelKind::waybill || packing_lists; }
};

}  // namespace fulfil::printing
