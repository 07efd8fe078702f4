#include "capabilities/printing/printing_commands.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>

#include "api/api_util.hpp"
#include "capabilities/printing/printing_runtime.hpp"
#include "command_support.hpp"
#include "lang/language.hpp"
#include "review/review_service.hpp"
#include "transport/tcp9100.hpp"

namespace fulfil::daemon {

namespace {

int label_command(const CliOptions& o, const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  auto tid = api::parse_id(o.tid, "TID");
  if (!tid) {
    std::cerr << "fulfild: TID must be a trade number, got \"" << o.tid << "\"\n";
    return k_exit_usage;
  }
  SystemClock clock;
  auto parcel = review::ReviewService(*conn, clock, config.review).parcel_of(*tid);
  if (!parcel || !*parcel) {
    std::cerr << "fulfild: trade " << o.tid << " is in no parcel\n";
    return k_exit_failed;
  }
  auto rt = PrintingRuntime::start(config.printing);
  if (!rt) {
    std::cerr << "fulfild: " << rt.error().message << "\n";
    return k_exit_usage;
  }
  const auto kind = *printing::parse_label_kind(o.kind);
  auto doc = (*rt)->service(*conn, clock, config).document(**parcel, kind);
  if (!doc) {
    std::cerr << "fulfild: " << doc.error().message << "\n";
    return k_exit_failed;
  }
  const printers::Document* docs[] = {&*doc};
  auto bytes = o.format == "png" ? printers::render_png(*doc, 0, (*rt)->font())
                                 : printers::render_pdf(docs, (*rt)->font());
  if (!bytes) {
    std::cerr << "fulfild: " << bytes.error().message << "\n";
    return k_exit_failed;
  }
  const std::filesystem::path out =
      o.out.value_or("label-" + o.tid + "-" + o.kind + "." + o.format);
  std::ofstream(out, std::ios::binary) << *bytes;
  std::cout << out.string() << " (" << doc->pages.size() << " page(s), template "
            << doc->template_name << ")\n";
  for (const auto& w : doc->warnings) std::cout << "warning: " << w << "\n";
  return k_exit_ok;
}

int printer_command(const Config& config) {
  auto conn = open_for_command(config);
  if (!conn) return k_exit_failed;
  auto counted = printing::count_labels(*conn);
  if (!counted) {
    std::cerr << "fulfild: " << counted.error().message << "\n";
    return k_exit_failed;
  }
  auto& counts = *counted;
  std::printf("%-16s %-7s %-32s %8s %6s %6s  %s\n", "printer", "lang", "where", "queued", "check",
              "failed", "says");
  for (const auto& p : config.printing.printers) {
    long long queued = 0;
    for (auto k : p.kinds) queued += counts[std::string(printing::to_string(k))]["queued"];
    std::string says;
    if (p.transport == printing::TransportKind::tcp) {
      auto tcp = tcp_settings(p);
      auto st = tcp ? printers::Tcp9100Transport(*tcp).status()
                    : Result<printers::PrinterStatus>(std::unexpected(tcp.error()));
      says = st ? st->describe() : st.error().message;
    } else {
      std::error_code ec;
      says = std::filesystem::is_directory(p.target, ec) ? "spool folder ready"
                                                         : "spool folder not created yet";
    }
    std::printf("%-16s %-7s %-32s %8lld %6lld %6lld  %s\n", p.name.c_str(),
                std::string(printers::to_string(p.language)).c_str(), p.target.c_str(), queued,
                static_cast<long long>(counts[p.name]["check"] + counts[p.name]["sent"]),
                static_cast<long long>(counts[p.name]["failed"]), says.c_str());
  }
  return k_exit_ok;
}

}  // namespace

std::vector<Command> printing_commands() {
  return {
      {"label",
       {{{"label preview TID [--kind waybill|packing_list] [--format pdf|png] [--out FILE]"},
         {"lay out a trade's label now and write it for a person to see"}}},
       [](const auto& words, CliOptions& o) -> Result<void> {
         if (words.size() != 2 || words[0] != "preview")
           return fail(ErrorKind::config, "label takes preview TID");
         o.subcommand = words[0];
         o.tid = words[1];
         if (o.kind != "waybill" && o.kind != "packing_list")
           return fail(ErrorKind::config, "--kind takes waybill or packing_list");
         if (o.format != "pdf" && o.format != "png")
           return fail(ErrorKind::config, "--format takes pdf or png");
         return {};
       },
       [](const CliOptions& o, const Config* c) { return label_command(o, *c); }},
      {"printer",
       {{{"printer status"}, {"each printer: its queue, labels to check, and what it says"}}},
       [](const auto& words, CliOptions& o) -> Result<void> {
         if (words.size() != 1 || words[0] != "status")
           return fail(ErrorKind::config, "printer takes status");
         o.subcommand = words[0];
         return {};
       },
       [](const CliOptions&, const Config* c) { return printer_command(*c); }},
  };
}

}  // namespace fulfil::daemon
