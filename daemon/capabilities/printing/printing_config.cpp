#include "capabilities/printing/printing_config.hpp"

#include <set>
#include <sstream>

#include "common/toml_reader.hpp"
#include "transport/tcp9100.hpp"

namespace fulfil::daemon {

namespace {

void parse_printer(const toml::table& t, const std::string& where, const std::string& file,
                   std::vector<std::string>& errors, printing::PrintSettings& out) {
  TableReader c(t, where, file, errors);
  printing::PrinterSettings p;
  p.name = c.required_text("name", "every printer needs a name");
  const std::string language = c.text("language", "zpl");
  if (auto l = printers::parse_language(language))
    p.language = *l;
  else
    c.error_at(c.node("language"), "language", "expected zpl, tspl, escpos or pdf");
  const std::string transport = c.text("transport", "spool");
  if (transport == "spool") {
    p.transport = printing::TransportKind::spool;
    p.target = c.required_text("folder", "required for transport = \"spool\"");
  } else if (transport == "tcp") {
    p.transport = printing::TransportKind::tcp;
    p.target = c.required_text("address", "required for transport = \"tcp\" (host:9100)");
    if (auto a = printers::parse_printer_address(p.target); !a && !p.target.empty())
      c.error_at(c.node("address"), "address", a.error().message);
    if (p.language == printers::Language::pdf)
      c.error_at(c.node("language"), "language", "PDF goes to a spool or CUPS, not raw TCP");
    p.answer_timeout_ms = static_cast<int>(c.integer("answer_timeout_ms", 2000, 50, 60000));
    p.label_timeout_seconds = static_cast<int>(c.integer("label_timeout_seconds", 30, 1, 600));
    p.poll_ms = static_cast<int>(c.integer("poll_ms", 20, 1, 1000));
    p.window = static_cast<int>(c.integer("window", 8, 1, 64));
  } else if (transport == "cups") {
    p.transport = printing::TransportKind::cups;
    p.target =
        c.required_text("uri", "required for transport = \"cups\" (ipp://host:631/printers/NAME)");
    if (!p.target.empty() && !p.target.starts_with("ipp://") && !p.target.starts_with("ipps://"))
      c.error_at(c.node("uri"), "uri", "expected an ipp:// or ipps:// URI");
    p.label_timeout_seconds = static_cast<int>(c.integer("job_timeout_seconds", 300, 1, 3600));
  } else {
    c.error_at(c.node("transport"), "transport", "expected \"spool\", \"tcp\" or \"cups\"");
  }
  p.kinds.clear();
  for (const auto& k : c.strings("kinds", {"waybill"})) {
    if (auto kind = printing::parse_label_kind(k))
      p.kinds.push_back(*kind);
    else
      c.error_at(c.node("kinds"), "kinds", "unknown label kind \"" + k + "\"");
  }
  p.station = c.text("station", "");
  const std::string mode = c.text("text", "bitmap");
  if (mode == "bitmap") {
    p.render.text_mode = printers::TextMode::bitmap;
  } else if (mode == "resident") {
    p.render.text_mode = printers::TextMode::resident;
    if (p.language != printers::Language::zpl && p.language != printers::Language::tspl)
      c.error_at(c.node("text"), "text", "printer-resident fonts exist for zpl and tspl only");
  } else {
    c.error_at(c.node("text"), "text", "expected \"bitmap\" or \"resident\"");
  }
  p.render.resident_font = c.text(
      "resident_font", p.language == printers::Language::tspl ? "TSS24.BF2" : "E:SIMSUN.TTF");
  p.render.gap_mm = c.real("gap_mm", 2, 0, 20);
  p.print_minutes = static_cast<int>(c.integer("print_minutes", 0, 0, 24 * 60));
  p.rest_minutes = static_cast<int>(c.integer("rest_minutes", 0, 0, 24 * 60));
  c.finish();
  out.printers.push_back(std::move(p));
}

}  // namespace

void parse_printing(const toml::table* table, const std::string& file,
                    std::vector<std::string>& errors, printing::PrintSettings& out,
                    std::int64_t& interval_seconds) {
  if (!table) return;
  TableReader r(*table, "printing", file, errors);
  out.enabled = r.boolean("enabled", true);
  interval_seconds = r.integer("interval_seconds", 2, 1, 3600);
  out.font = r.text("font", out.font);
  out.templates_dir = r.text("templates_dir", "");
  out.waybill_template = r.text("waybill_template", out.waybill_template);
  out.packing_template = r.text("packing_template", out.packing_template);
  out.pick_list_template = r.text("pick_list_template", out.pick_list_template);
  out.packing_lists = r.boolean("packing_lists", true);
  out.batch = static_cast<int>(r.integer("batch", 200, 1, 5000));
  const std::string order = r.text("order", "key_city");
  if (order == "key_city")
    out.order = printing::PrintOrder::key_city;
  else if (order == "courier")
    out.order = printing::PrintOrder::courier;
  else if (order == "serial")
    out.order = printing::PrintOrder::serial;
  else if (order == "pick_location")
    out.order = printing::PrintOrder::pick_location;
  else
    r.error_at(r.node("order"), "order", "expected key_city, courier, serial or pick_location");
  out.fault_retry_seconds = static_cast<int>(r.integer("fault_retry_seconds", 30, 1, 3600));
  out.jobs_per_pass = static_cast<int>(r.integer("jobs_per_pass", 1000, 1, 1000000));
  out.warehouse = r.text("warehouse", out.warehouse);
  if (const auto* t = r.table("returns")) {
    TableReader c(*t, "printing.returns", file, errors);
    out.returns = {c.text("name", ""), c.text("phone", ""), c.text("address", "")};
    c.finish();
  }
  if (const auto* list = r.array("printers"))
    for (std::size_t i = 0; i < list->size(); ++i)
      if (const auto* t = list->get(i)->as_table())
        parse_printer(*t, "printing.printers[" + std::to_string(i) + "]", file, errors, out);
  r.finish();
  std::set<std::string> names;
  const auto line = std::to_string(table->source().begin.line);
  for (const auto& p : out.printers)
    if (!names.insert(p.name).second)
      errors.push_back(file + ":" + line + ": printing: two printers are named " + p.name);
}

std::string describe_printing(const printing::PrintSettings& s, std::int64_t interval_seconds) {
  std::ostringstream o;
  o << "\n[printing]\nenabled = " << (s.enabled ? "true" : "false")
    << "\ninterval_seconds = " << interval_seconds << "\nfont = " << toml_quoted(s.font)
    << "\ntemplates_dir = " << toml_quoted(s.templates_dir)
    << "\nwaybill_template = " << toml_quoted(s.waybill_template)
    << "\npacking_template = " << toml_quoted(s.packing_template)
    << "\npick_list_template = " << toml_quoted(s.pick_list_template)
    << "\npacking_lists = " << (s.packing_lists ? "true" : "false") << "\nbatch = " << s.batch
    << "\nfault_retry_seconds = " << s.fault_retry_seconds << "\norder = "
    << (s.order == printing::PrintOrder::courier         ? "\"courier\""
        : s.order == printing::PrintOrder::serial        ? "\"serial\""
        : s.order == printing::PrintOrder::pick_location ? "\"pick_location\""
                                                         : "\"key_city\"")
    << "\nwarehouse = " << toml_quoted(s.warehouse) << "\n";
  o << "\n[printing.returns]\nname = " << toml_quoted(s.returns.name)
    << "\nphone = " << toml_quoted(s.returns.phone)
    << "\naddress = " << toml_quoted(s.returns.address) << "\n";
  for (const auto& p : s.printers) {
    std::vector<std::string> kinds;
    for (auto k : p.kinds) kinds.emplace_back(printing::to_string(k));
    o << "\n[[printing.printers]]\nname = " << toml_quoted(p.name)
      << "\nlanguage = " << toml_quoted(printers::to_string(p.language))
      << (p.transport == printing::TransportKind::tcp
              ? "\ntransport = \"tcp\"\naddress = " + toml_quoted(p.target)
          : p.transport == printing::TransportKind::cups
              ? "\ntransport = \"cups\"\nuri = " + toml_quoted(p.target)
              : "\ntransport = \"spool\"\nfolder = " + toml_quoted(p.target))
      << "\nkinds = " << toml_list(kinds) << "\ntext = "
      << (p.render.text_mode == printers::TextMode::resident ? "\"resident\"" : "\"bitmap\"")
      << "\n";
  }
  return o.str();
}

}  // namespace fulfil::daemon
