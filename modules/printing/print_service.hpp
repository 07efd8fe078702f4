#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "courier/settings.hpp"
#include "layout/label_data.hpp"
#include "layout/page.hpp"
#include "printing/settings.hpp"
#include "printing/template_library.hpp"
#include "raster/font.hpp"
#include "store/database.hpp"
#include "transport/transport.hpp"

namespace fulfil::printing {

// A label as stored. States: queued → sent (in a job, not yet confirmed) → printed; check
// (the printer stopped or fell silent with it under the head: a person looks and says
// whether it printed); failed (its layout or data needs a person); void (the parcel
// stopped before it printed).
struct Label {
  std::int64_t id = 0;
  std::int64_t parcel_id = 0;
  std::string kind, waybill_no, courier, state, printer, job, error, warnings;
  std::int64_t attempts = 0;
  std::optional<std::int64_t> reprint_of;
  std::string requested_by, reason;
  UnixSeconds created_at = 0, updated_at = 0;
  std::optional<UnixSeconds> printed_at;
};

struct LabelFilter {
  std::string state;    // empty: any
  std::string printer;  // empty: any
  std::optional<std::int64_t> parcel_id;
  int limit = 100;
};

// What one print pass on one printer did.
struct PrintReport {
  int jobs = 0, printed = 0, failed = 0, requeued = 0, check = 0;
  std::optional<Error> fault;  // why the printer stopped (it should rest before more)
  std::vector<std::int64_t> printed_parcels;  // moved to `printed`
};

// Labels waiting or needing a person, counted for each printer's view: queued labels belong
// to no printer yet (any printer of their kind takes them), so they count under their kind
// ("waybill"); sent, check and failed ones under the printer that had them.
// counts["zebra-1"]["check"], counts["waybill"]["queued"].
using LabelCounts = std::map<std::string, std::map<std::string, std::int64_t>>;
Result<LabelCounts> count_labels(store::Connection& conn);

class PrintService {
 public:
  PrintService(store::Connection& conn, const Clock& clock, const PrintSettings& settings,
               const courier::CourierSettings& shipping, const TemplateLibrary& templates,
               printers::Font& font)
      : m_conn(conn),
        m_clock(clock),
        m_s(settings),
        m_shipping(shipping),
        m_templates(templates),
        m_font(font) {}

  // Adds the labels of parcels that got a waybill (a waybill, and a packing list when
  // configured and some printer prints them), at most `limit` parcels, in one transaction;
  // queued labels of parcels intercepted or cancelled since are voided.
  Result<int> queue(int limit = 20000);
  // Prints the queued labels of each kind `printer` prints, job by job in the configured
  // order: each job is recorded (labels `sent`, the job row) before it is sent, its labels
  // `printed` only once `transport` confirmed it, and parcels whose labels all printed move
  // to `printed` (confirm_at = printed then queues their ship confirmations). A failed send
  // requeues the job's labels with the error; a label that cannot be laid out is `failed`
  // with the reason and the rest of the job prints. Labels of parcels that stopped
  // (intercepted, cancelled) are voided instead of printed.
  Result<PrintReport> print(const PrinterSettings& printer, printers::Transport& transport,
                            int max_jobs = 1000);
  // After a crash: labels left `sent` on `printer` are printed if the transport knows their
  // job arrived, queued again if it knows it did not, else listed for a check. Returns how
  // many were settled.
  Result<int> recover(const PrinterSettings& printer, printers::Transport& transport);
  // A person looked at a label in `check`: printed moves it (and maybe its parcel) on, not
  // printed queues it again. Recorded with who.
  Result<Label> checked(std::int64_t label_id, const std::string& who, bool was_printed);
  // Queues a reprint of label `label_id`, recorded with who asked and why.
  // A printed label once more, recorded with who asked and why. With a `station`, it prints
  // on the printer of its kind standing there ([[printing.printers]] station), and waits for
  // that printer rather than coming out at another station; invalid_input when no printer of
  // its kind stands there.
  Result<Label> reprint(std::int64_t label_id, const std::string& who, const std::string& why,
                        const std::string& station = "");
  Result<std::vector<Label>> list(const LabelFilter& filter);
  // A parcel's label laid out now (for previews and reprints); not_found without a waybill.
  Result<printers::Document> document(std::int64_t parcel_id, LabelKind kind);

 private:
  std::string template_for(LabelKind kind) const;
  // Inside a transaction: up to a batch of queued labels of `kind` whose parcels may print,
  // reprints first, then in the configured order (locked against other daemons on PostgreSQL).
  // Reprints meant for one printer are taken by that printer only.
  std::vector<Label> take_queued(const std::string& kind, const std::string& printer);
  // Orders a job's labels by the first pick location of their parcels' SKUs (stable: the
  // queue's order among equals); throws on database errors.
  void along_pick_walk(std::vector<Label>& labels,
                       const std::map<std::int64_t, printers::LabelData>& data);
  // Inside a transaction: labels printed, and parcels whose labels all printed moved to
  // `printed` (with their confirmations when confirm_at = printed). Returns those parcels.
  std::vector<std::int64_t> mark_printed(const std::vector<std::int64_t>& label_ids,
                                         const std::string& why, UnixSeconds now);
  std::optional<Label> load_label(std::int64_t id);
  std::vector<LabelKind> printed_kinds() const;

  store::Connection& m_conn;
  const Clock& m_clock;
  const PrintSettings& m_s;
  const courier::CourierSettings& m_shipping;
  const TemplateLibrary& m_templates;
  printers::Font& m_font;
};

}  // namespace fulfil::printing
