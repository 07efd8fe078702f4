#include "printing/print_service.hpp"

#include <algorithm>
#include <set>

#include "common/log.hpp"
#include "courier/waybill_service.hpp"
#include "lang/language.hpp"
#include "layout/layout.hpp"
#include "printing/label_source.hpp"
#include "review/stock.hpp"
#include "review/transitions.hpp"
#include "store/filtered_select.hpp"
#include "store/order_queries.hpp"
#include "store/row_reader.hpp"

namespace fulfil::printing {

namespace {

using store::get_int;
using store::get_opt_int;
using store::get_text;

const std::string k_label_columns =
    "id, parcel_id, kind, waybill_no, courier, state, printer, job, attempts, error, warnings, "
    "reprint_of, requested_by, reason, created_at, updated_at, printed_at";

Label read_label(const soci::row& r) {
  Label l;
  l.id = get_int(r, 0);
  l.parcel_id = get_int(r, 1);
  l.kind = get_text(r, 2);
  l.waybill_no = get_text(r, 3);
  l.courier = get_text(r, 4);
  l.state = get_text(r, 5);
  l.printer = get_text(r, 6);
  l.job = get_text(r, 7);
  l.attempts = get_int(r, 8);
  l.error = get_text(r, 9);
  l.warnings = get_text(r, 10);
  l.reprint_of = get_opt_int(r, 11);
  l.requested_by = get_text(r, 12);
  l.reason = get_text(r, 13);
  l.created_at = get_int(r, 14);
  l.updated_at = get_int(r, 15);
  l.printed_at = get_opt_int(r, 16);
  return l;
}

std::string join_lines(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : "\n") + s;
  return out;
}

}  // namespace

std::string PrintService::template_for(LabelKind kind) const {
  return kind == LabelKind::waybill ? m_s.waybill_template : m_s.packing_template;
}

std::vector<LabelKind> PrintService::printed_kinds() const {
  std::vector<LabelKind> out;
  for (LabelKind k : {LabelKind::waybill, LabelKind::packing_list}) {
    if (!m_s.prints(k)) continue;
    for (const auto& p : m_s.printers)
      if (std::find(p.kinds.begin(), p.kinds.end(), k) != p.kinds.end()) {
        out.push_back(k);
        break;
      }
  }
  return out;
}

Result<int> PrintService::queue(int limit) {
  const auto kinds = printed_kinds();
  if (kinds.empty()) return 0;
  return store::in_transaction(m_conn, [&]() -> Result<int> {
    const UnixSeconds now = m_clock.now();
    int added = 0;
    for (LabelKind kind : kinds) {
      const std::string k(to_string(kind));
      // Labels whose parcel stopped before printing are voided here, once a pass rather than
      // once a job (it walks every queued label); until then take_queued passes them over.
      m_conn.sql() << "UPDATE labels SET state = 'void', updated_at = :now WHERE state = "
                      "'queued' AND kind = :k AND parcel_id IN (SELECT id FROM parcels WHERE "
                      "state IN ('intercepted', 'cancelled'))",
          soci::use(now), soci::use(k);
      soci::statement st =
          (m_conn.sql().prepare
               << "INSERT INTO labels (parcel_id, kind, waybill_no, courier, state, key_rank, "
                  "pay_time, created_at, updated_at) SELECT p.id, :k, w.waybill_no, w.courier, "
                  "'queued', p.key_rank, p.pay_time, :now, :now2 FROM parcels p JOIN waybills w "
                  "ON w.parcel_id = p.id AND w.state = 'issued' WHERE p.state = 'waybill' AND "
                  "NOT EXISTS (SELECT 1 FROM labels l WHERE l.parcel_id = p.id AND l.kind = :k2 "
                  "AND l.waybill_no = w.waybill_no AND l.reprint_of IS NULL) ORDER BY "
                  "p.key_rank, p.pay_time, p.id LIMIT " +
                      std::to_string(limit),
           soci::use(k, "k"), soci::use(now, "now"), soci::use(now, "now2"), soci::use(k, "k2"));
      st.execute(true);
      added += static_cast<int>(st.get_affected_rows());
    }
    return added;
  });
}

Result<PrintReport> PrintService::print(const PrinterSettings& printer,
                                        printers::Transport& transport, int max_jobs) {
  PrintReport report;
  for (LabelKind kind : printer.kinds) {
    if (!m_s.prints(kind)) continue;
    const std::string k(to_string(kind));
    const printers::LabelTemplate* tmpl = m_templates.find(template_for(kind));
    if (!tmpl) return fail(ErrorKind::config, "no label template " + template_for(kind));
    for (int j = 0; j < max_jobs; ++j) {
      // 1. Take a job's labels and record the job before anything is sent.
      std::vector<Label> labels;
      std::string job;
      auto taken = store::in_transaction(m_conn, [&]() -> Result<void> {
        const UnixSeconds now = m_clock.now();
        labels = take_queued(k, printer.name);
        if (labels.empty()) return {};
        job = printer.name + "-" + k + "-" + std::to_string(labels.front().id) + "-" +
              std::to_string(labels.front().attempts + 1);
        const std::string ids = [&] {
          std::vector<std::int64_t> v;
          for (const auto& l : labels) v.push_back(l.id);
          return store::id_list(v);
        }();
        m_conn.sql() << "UPDATE labels SET state = 'sent', printer = :p, job = :j, attempts = "
                        "attempts + 1, updated_at = :now WHERE id IN (" +
                            ids + ")",
            soci::use(printer.name), soci::use(job), soci::use(now);
        const long long n = static_cast<long long>(labels.size());
        m_conn.sql() << "INSERT INTO print_jobs (id, printer, kind, state, labels, created_at) "
                        "VALUES (:id, :p, :k, 'sending', :n, :now)",
            soci::use(job), soci::use(printer.name), soci::use(k), soci::use(n), soci::use(now);
        return {};
      });
      if (!taken) return std::unexpected(taken.error());
      if (labels.empty()) break;
      ++report.jobs;

      // 2. Lay out and render outside any transaction.
      std::vector<std::int64_t> parcel_ids;
      for (const auto& l : labels) parcel_ids.push_back(l.parcel_id);
      auto data = store::guarded([&]() -> Result<std::map<std::int64_t, printers::LabelData>> {
        return label_data(m_conn, parcel_ids, m_shipping, m_s, m_clock.now());
      });
      if (!data) return std::unexpected(data.error());
      if (m_s.order == PrintOrder::pick_location) {
        auto walk = store::guarded([&]() -> Result<void> {
          along_pick_walk(labels, *data);
          return {};
        });
        if (!walk) return std::unexpected(walk.error());
      }
      std::vector<printers::Document> docs;
      std::vector<std::pair<std::int64_t, std::string>> failed;  // label, why
      std::map<std::int64_t, std::string> warnings;
      std::vector<std::int64_t> good;
      for (const auto& l : labels) {
        auto d = data->find(l.parcel_id);
        if (d == data->end()) {
          failed.emplace_back(l.id, "the parcel has no issued waybill");
          continue;
        }
        if (d->second.fields["waybill_no"] != l.waybill_no) {
          failed.emplace_back(l.id, "waybill changed to " + d->second.fields["waybill_no"]);
          continue;
        }
        auto doc = printers::lay_out(*tmpl, d->second, m_font);
        if (!doc) {
          failed.emplace_back(l.id, doc.error().message);
          continue;
        }
        if (!doc->warnings.empty()) warnings[l.id] = join_lines(doc->warnings);
        docs.push_back(std::move(*doc));
        good.push_back(l.id);
      }
      // Thermal jobs go label by label (each confirmed); a PDF is one part for the batch.
      std::vector<std::string> parts;
      std::vector<std::vector<std::int64_t>> part_labels;
      std::optional<Error> render_error;
      if (!docs.empty()) {
        std::vector<const printers::Document*> ptrs;
        for (const auto& d : docs) ptrs.push_back(&d);
        const bool one_part = printer.language == printers::Language::pdf;
        for (std::size_t i = 0; i < ptrs.size() && !render_error; i += one_part ? ptrs.size() : 1) {
          const std::size_t n = one_part ? ptrs.size() : 1;
          auto bytes = printers::render(printer.language, std::span(ptrs).subspan(i, n), m_font,
                                        printer.render);
          if (!bytes) {
            render_error = bytes.error();
            break;
          }
          parts.push_back(std::move(*bytes));
          part_labels.emplace_back(good.begin() + static_cast<std::ptrdiff_t>(i),
                                   good.begin() + static_cast<std::ptrdiff_t>(i + n));
        }
      }
      printers::PrintOutcome outcome;
      if (render_error)
        outcome = {0, render_error, 0};
      else if (!parts.empty())
        outcome = transport.print(job, parts);
      std::vector<std::int64_t> printed_ids, requeue_ids, check_ids;
      for (std::size_t p = 0; p < part_labels.size(); ++p) {
        const int part = static_cast<int>(p);
        auto& into = part < outcome.printed                       ? printed_ids
                     : part < outcome.printed + outcome.uncertain ? check_ids
                                                                  : requeue_ids;
        into.insert(into.end(), part_labels[p].begin(), part_labels[p].end());
      }

      // 3. Record what the printer confirmed.
      auto recorded = store::in_transaction(m_conn, [&]() -> Result<void> {
        const UnixSeconds now = m_clock.now();
        for (const auto& [id, why] : failed)
          m_conn.sql() << "UPDATE labels SET state = 'failed', error = :e, updated_at = :now "
                          "WHERE id = :id",
              soci::use(why), soci::use(now), soci::use(id);
        report.failed += static_cast<int>(failed.size());
        const std::string job_state = outcome.error ? "failed" : "printed";
        const std::string job_error = outcome.error ? outcome.error->message : "";
        m_conn.sql() << "UPDATE print_jobs SET state = :s, error = :e, done_at = :now WHERE id = "
                        ":id",
            soci::use(job_state), soci::use(job_error), soci::use(now), soci::use(job);
        // A label queued again belongs to no printer: any printer of its kind takes it.
        auto set_state = [&](const std::vector<std::int64_t>& ids, const std::string& state) {
          if (ids.empty()) return;
          const std::string unassign = state == "queued" ? ", printer = NULL" : "";
          m_conn.sql() << "UPDATE labels SET state = :s, error = :e, updated_at = :now" + unassign +
                              " WHERE id IN (" + store::id_list(ids) + ")",
              soci::use(state), soci::use(job_error), soci::use(now);
        };
        set_state(requeue_ids, "queued");
        set_state(check_ids, "check");
        report.requeued += static_cast<int>(requeue_ids.size());
        report.check += static_cast<int>(check_ids.size());
        for (const auto& [id, w] : warnings)
          m_conn.sql() << "UPDATE labels SET warnings = :w WHERE id = :id", soci::use(w),
              soci::use(id);
        report.printed += static_cast<int>(printed_ids.size());
        auto moved = mark_printed(printed_ids, "labels printed on " + printer.name, now);
        report.printed_parcels.insert(report.printed_parcels.end(), moved.begin(), moved.end());
        return {};
      });
      if (!recorded) return std::unexpected(recorded.error());
      if (outcome.error) {
        log::warn("print job stopped", {{"printer", printer.name},
                                        {"job", job},
                                        {"printed", static_cast<std::int64_t>(printed_ids.size())},
                                        {"to_check", static_cast<std::int64_t>(check_ids.size())},
                                        {"requeued", static_cast<std::int64_t>(requeue_ids.size())},
                                        {"error", outcome.error->message}});
        if (outcome.error->kind != ErrorKind::cancelled) report.fault = outcome.error;
        return report;  // this printer stops; its labels go to another printer or wait
      }
    }
  }
  return report;
}

std::vector<Label> PrintService::take_queued(const std::string& kind, const std::string& printer) {
  const bool pg = m_conn.dialect() == store::Dialect::postgresql;
  const std::string lock = pg ? " FOR UPDATE OF l SKIP LOCKED" : "";
  // The literal conditions match the partial indexes (printing migration 2) word for word.
  const std::string from =
      "SELECT " + k_label_columns +
      " FROM labels l WHERE l.state = 'queued' AND l.kind = :k AND EXISTS (SELECT 1 FROM "
      "parcels p WHERE p.id = l.parcel_id AND p.state IN ('waybill', 'printed')) AND ";
  std::vector<Label> out;
  // `with_printer`: the query also names :p, this printer.
  auto take = [&](const std::string& where_and_order, int limit, bool with_printer) {
    if (limit <= 0) return;
    const std::string sql = from + where_and_order + " LIMIT " + std::to_string(limit) + lock;
    auto keep = [&](soci::rowset<soci::row>& rs) {
      for (const auto& r : rs) out.push_back(read_label(r));
    };
    if (with_printer) {
      soci::rowset<soci::row> rs =
          (m_conn.sql().prepare << sql, soci::use(kind), soci::use(printer));
      keep(rs);
    } else {
      soci::rowset<soci::row> rs = (m_conn.sql().prepare << sql, soci::use(kind));
      keep(rs);
    }
  };
  // Reprints first (a person is waiting at the printer), then the configured order. A queued
  // reprint's printer, when set, is the one at the station that asked.
  take("l.reprint_of IS NOT NULL AND (l.printer IS NULL OR l.printer = :p) ORDER BY l.id",
       m_s.batch, true);
  const std::string order = m_s.order == PrintOrder::courier
                                ? "l.courier, l.key_rank, l.pay_time, l.id"
                            : m_s.order == PrintOrder::serial ? "l.parcel_id, l.id"
                                                              : "l.key_rank, l.pay_time, l.id";
  take("l.reprint_of IS NULL ORDER BY " + order, m_s.batch - static_cast<int>(out.size()), false);
  return out;
}

void PrintService::along_pick_walk(std::vector<Label>& labels,
                                   const std::map<std::int64_t, printers::LabelData>& data) {
  std::set<std::string> skus;
  for (const auto& [id, d] : data)
    for (const auto& line : d.lines)
      if (auto s = line.find("sku"); s != line.end() && !s->second.empty()) skus.insert(s->second);
  const auto where = review::StockRepository(m_conn).locations(skus);
  // A parcel is picked from its first location on the walk; none known: after all others.
  auto first_stop = [&](std::int64_t parcel_id) -> std::pair<bool, std::string> {
    std::optional<std::string> best;
    if (auto d = data.find(parcel_id); d != data.end())
      for (const auto& line : d->second.lines)
        if (auto s = line.find("sku"); s != line.end())
          if (auto w = where.find(s->second); w != where.end() && (!best || w->second < *best))
            best = w->second;
    return {!best, best.value_or("")};
  };
  std::map<std::int64_t, std::pair<bool, std::string>> stops;
  for (const auto& l : labels) stops.try_emplace(l.parcel_id, first_stop(l.parcel_id));
  std::stable_sort(labels.begin(), labels.end(), [&](const Label& a, const Label& b) {
    return stops[a.parcel_id] < stops[b.parcel_id];
  });
}

std::vector<std::int64_t> PrintService::mark_printed(const std::vector<std::int64_t>& label_ids,
                                                     const std::string& why, UnixSeconds now) {
  if (label_ids.empty()) return {};
  const std::string ids = store::id_list(label_ids);
  m_conn.sql() << "UPDATE labels SET state = 'printed', error = NULL, printed_at = :now, "
                  "updated_at = :now2 WHERE id IN (" +
                      ids + ")",
      soci::use(now), soci::use(now);
  // Parcels whose every original label is printed move on.
  std::vector<std::int64_t> done;
  soci::rowset<soci::row> rs =
      (m_conn.sql().prepare
       << "SELECT parcel_id FROM labels WHERE reprint_of IS NULL AND state <> 'void' AND "
          "parcel_id IN (SELECT parcel_id FROM labels WHERE id IN (" +
              ids +
              ")) GROUP BY parcel_id HAVING SUM(CASE WHEN state = 'printed' THEN 0 ELSE 1 "
              "END) = 0");
  for (const auto& r : rs) done.push_back(get_int(r, 0));
  if (done.empty()) return {};
  review::ParcelRows rows(m_conn);
  const review::Actor automatic{"auto", static_cast<review::Roles>(review::Role::automatic)};
  auto moved =
      review::move_parcels(rows, rows.load(done, true), review::Action::print, automatic, why, now);
  if (m_shipping.confirm_at == courier::ConfirmAt::printed)
    courier::queue_confirmations_of(m_conn, rows, moved, now);
  std::vector<std::int64_t> out;
  for (const auto& p : moved) out.push_back(p.id);
  return out;
}

Result<Label> PrintService::checked(std::int64_t label_id, const std::string& who,
                                    bool was_printed) {
  if (who.empty()) return fail(ErrorKind::invalid_input, "a check needs the person who looked");
  return store::in_transaction(m_conn, [&]() -> Result<Label> {
    const UnixSeconds now = m_clock.now();
    auto label = load_label(label_id);
    if (!label) return fail(ErrorKind::not_found, "no label " + std::to_string(label_id));
    if (label->state != "check")
      return fail(ErrorKind::conflict, "label " + std::to_string(label_id) + " is " + label->state +
                                           ", not waiting for a check");
    const std::string note = "checked by " + who;
    m_conn.sql() << "UPDATE labels SET requested_by = :who, reason = :r WHERE id = :id",
        soci::use(who), soci::use(note), soci::use(label_id);
    if (was_printed) {
      mark_printed({label_id}, "label checked printed by " + who, now);
    } else {
      m_conn.sql() << "UPDATE labels SET state = 'queued', printer = NULL, updated_at = :now "
                      "WHERE id = :id",
          soci::use(now), soci::use(label_id);
    }
    return *load_label(label_id);
  });
}

std::optional<Label> PrintService::load_label(std::int64_t id) {
  soci::rowset<soci::row> rs =
      (m_conn.sql().prepare << "SELECT " + k_label_columns + " FROM labels WHERE id = :id",
       soci::use(id));
  for (const auto& r : rs) return read_label(r);
  return std::nullopt;
}

Result<int> PrintService::recover(const PrinterSettings& printer, printers::Transport& transport) {
  std::map<std::string, std::vector<std::int64_t>> jobs;
  auto loaded = store::guarded([&]() -> Result<void> {
    soci::rowset<soci::row> rs =
        (m_conn.sql().prepare << "SELECT job, id FROM labels WHERE state = 'sent' AND printer = :p",
         soci::use(printer.name));
    for (const auto& r : rs) jobs[get_text(r, 0)].push_back(get_int(r, 1));
    return {};
  });
  if (!loaded) return std::unexpected(loaded.error());
  int settled = 0;
  for (const auto& [job, ids] : jobs) {
    const std::optional<bool> arrived = transport.arrived(job);
    if (!arrived) {
      // Only a person can tell whether they printed: listed for a check.
      auto r = store::in_transaction(m_conn, [&]() -> Result<void> {
        const UnixSeconds now = m_clock.now();
        m_conn.sql() << "UPDATE labels SET state = 'check', error = 'unconfirmed when the daemon "
                        "stopped', updated_at = :now WHERE state = 'sent' AND id IN (" +
                            store::id_list(ids) + ")",
            soci::use(now);
        return {};
      });
      if (!r) return std::unexpected(r.error());
      settled += static_cast<int>(ids.size());
      continue;
    }
    auto r = store::in_transaction(m_conn, [&]() -> Result<void> {
      const UnixSeconds now = m_clock.now();
      const std::string in = store::id_list(ids);
      if (*arrived)
        mark_printed(ids, "labels found printed after a restart", now);
      else
        m_conn.sql() << "UPDATE labels SET state = 'queued', printer = NULL, updated_at = :now "
                        "WHERE state = 'sent' AND id IN (" +
                            in + ")",
            soci::use(now);
      // A named value: soci runs the statement after the expression's temporaries are gone.
      const std::string job_state = *arrived ? "printed" : "failed";
      m_conn.sql() << "UPDATE print_jobs SET state = :s, done_at = :now WHERE id = :id",
          soci::use(job_state), soci::use(now), soci::use(job);
      return {};
    });
    if (!r) return std::unexpected(r.error());
    settled += static_cast<int>(ids.size());
  }
  return settled;
}

Result<Label> PrintService::reprint(std::int64_t label_id, const std::string& who,
                                    const std::string& why, const std::string& station) {
  if (who.empty()) return fail(ErrorKind::invalid_input, "a reprint needs the person asking");
  if (why.empty()) return fail(ErrorKind::invalid_input, "a reprint needs a reason");
  return store::in_transaction(m_conn, [&]() -> Result<Label> {
    const UnixSeconds now = m_clock.now();
    soci::rowset<soci::row> rs =
        (m_conn.sql().prepare << "SELECT " + k_label_columns + " FROM labels WHERE id = :id",
         soci::use(label_id));
    std::optional<Label> original;
    for (const auto& r : rs) original = read_label(r);
    if (!original) return fail(ErrorKind::not_found, "no label " + std::to_string(label_id));
    if (original->state != "printed")
      return fail(ErrorKind::conflict, "label " + std::to_string(label_id) + " is " +
                                           original->state +
                                           ": only a printed label can be reprinted");
    std::string target;  // the printer of the label's kind at the station; empty: any
    if (!station.empty()) {
      for (const auto& p : m_s.printers)
        if (p.station == station && std::find(p.kinds.begin(), p.kinds.end(),
                                              parse_label_kind(original->kind)) != p.kinds.end())
          target = p.name;
      if (target.empty())
        return fail(ErrorKind::invalid_input, "station: no printer of " + original->kind +
                                                  " labels stands at " + station +
                                                  " ([[printing.printers]] station)");
    }
    const std::int64_t root = original->reprint_of.value_or(original->id);
    soci::indicator target_ind = target.empty() ? soci::i_null : soci::i_ok;
    m_conn.sql() << "INSERT INTO labels (parcel_id, kind, waybill_no, courier, state, key_rank, "
                    "pay_time, reprint_of, requested_by, reason, printer, created_at, updated_at) "
                    "SELECT parcel_id, kind, waybill_no, courier, 'queued', 0, pay_time, :root, "
                    ":who, :why, :printer, :now, :now2 FROM labels WHERE id = :id",
        soci::use(root), soci::use(who), soci::use(why), soci::use(target, target_ind),
        soci::use(now), soci::use(now), soci::use(label_id);
    soci::rowset<soci::row> back =
        (m_conn.sql().prepare << "SELECT " + k_label_columns +
                                     " FROM labels WHERE reprint_of = :root ORDER BY id DESC "
                                     "LIMIT 1",
         soci::use(root));
    for (const auto& r : back) return read_label(r);
    return fail(ErrorKind::internal, "reprint not stored");
  });
}

Result<std::vector<Label>> PrintService::list(const LabelFilter& f) {
  return store::guarded([&]() -> Result<std::vector<Label>> {
    store::FilteredSelect q("SELECT " + k_label_columns + " FROM labels");
    q.equals("state", f.state).equals("printer", f.printer);
    if (f.parcel_id) q.where("parcel_id = " + std::to_string(*f.parcel_id));
    std::vector<Label> out;
    q.each(m_conn.sql(), "ORDER BY id LIMIT " + std::to_string(std::clamp(f.limit, 1, 1000)),
           [&](const soci::row& r) { out.push_back(read_label(r)); });
    return out;
  });
}

Result<printers::Document> PrintService::document(std::int64_t parcel_id, LabelKind kind) {
  const printers::LabelTemplate* tmpl = m_templates.find(template_for(kind));
  if (!tmpl) return fail(ErrorKind::config, "no label template " + template_for(kind));
  auto data = store::guarded([&]() -> Result<std::map<std::int64_t, printers::LabelData>> {
    const std::int64_t ids[] = {parcel_id};
    return label_data(m_conn, ids, m_shipping, m_s, m_clock.now());
  });
  if (!data) return std::unexpected(data.error());
  auto it = data->find(parcel_id);
  if (it == data->end())
    return fail(ErrorKind::not_found,
                "parcel " + std::to_string(parcel_id) + " has no issued waybill to print");
  return printers::lay_out(*tmpl, it->second, m_font);
}

Result<LabelCounts> count_labels(store::Connection& conn) {
  return store::guarded([&]() -> Result<LabelCounts> {
    LabelCounts out;
    soci::rowset<soci::row> rs =
        (conn.sql().prepare << "SELECT CASE WHEN state = 'queued' THEN kind ELSE "
                               "COALESCE(printer, kind) END, state, COUNT(*) FROM labels WHERE "
                               "state IN ('queued', 'sent', 'check', 'failed') GROUP BY 1, 2");
    for (const auto& r : rs)
      out[store::get_text(r, 0)][store::get_text(r, 1)] += store::get_int(r, 2);
    return out;
  });
}

}  // namespace fulfil::printing
