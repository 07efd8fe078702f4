#include "csvimport/csv_importer.hpp"

#include <algorithm>
#include <climits>
#include <fstream>
#include <set>
#include <sstream>

#include "common/digest.hpp"
#include "common/digits.hpp"
#include "common/log.hpp"
#include "common/utf8.hpp"
#include "store/quarantine_repository.hpp"
#include "store/sync_state_repository.hpp"

namespace fulfil::csvimport {

namespace {
constexpr std::size_t k_batch = 1000;                      // trades per transaction
constexpr std::uintmax_t k_max_file_bytes = 512ull << 20;  // a bigger "CSV" is a mistake

// Takes out the records that hold an undecodable line (a record spans from its line to the
// next record's): each becomes a bad row and a quarantine entry naming the order number
// when its ASCII bytes still show one.
std::vector<orders::Rejection> set_aside_undecodable(
    std::vector<CsvRecord>& records, const std::vector<LenientText::BadLine>& bad_lines,
    const ColumnMap& columns, const std::string& shop, std::vector<BadRow>& bad_rows) {
  std::vector<orders::Rejection> out;
  if (bad_lines.empty()) return out;
  std::vector<CsvRecord> kept;
  kept.reserve(records.size());
  auto bad = bad_lines.begin();
  for (std::size_t i = 0; i < records.size(); ++i) {
    const int first = records[i].line;
    const int next = i + 1 < records.size() ? records[i + 1].line : INT_MAX;
    while (bad != bad_lines.end() && bad->line < first) ++bad;
    if (bad == bad_lines.end() || bad->line >= next) {
      kept.push_back(std::move(records[i]));
      continue;
    }
    bad_rows.push_back({first, bad->reason + ": row skipped"});
    orders::Rejection r;
    r.shop = shop;
    if (auto tid = parse_digits(tid_text(records[i], columns))) r.tid = *tid;
    r.field = "row " + std::to_string(first);
    r.reason = bad->reason;
    for (const auto& f : records[i].fields) r.payload += (r.payload.empty() ? "" : ",") + f;
    r.payload = std::string(utf8_prefix(r.payload, 2000));  // never half a character
    out.push_back(std::move(r));
  }
  records = std::move(kept);
  return out;
}

}  // namespace

Result<ImportReport> CsvImporter::import_file(const std::filesystem::path& path,
                                              const std::string& shop) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(ErrorKind::invalid_input, path.string() + ": " + ec.message());
  if (size > k_max_file_bytes)
    return fail(ErrorKind::invalid_input, path.string() + ": " + std::to_string(size) +
                                              " bytes is larger than a CSV import may be");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorKind::invalid_input, path.string() + ": cannot be opened");
  std::ostringstream buf;
  buf << in.rdbuf();
  return import_bytes(buf.str(), path.filename().string(), shop);
}

Result<ImportReport> CsvImporter::import_bytes(std::string_view bytes, const std::string& name,
                                               const std::string& shop) {
  ImportReport report;
  report.file = name;
  auto text = to_utf8_lenient(bytes);
  if (!text) return std::unexpected(with_context(text.error(), name));
  if (!text->bad_lines.empty() && !m_options.skip_bad_rows)
    return fail(ErrorKind::invalid_input,
                name + ": " + text->bad_lines.front().reason +
                    " (--skip-bad-rows, or skip_bad_rows = true for an inbox, imports the rows "
                    "that read and quarantines the others)");
  auto records = read_csv(text->text);
  if (!records) return std::unexpected(with_context(records.error(), name));
  if (records->empty()) return fail(ErrorKind::invalid_input, name + ": empty file");
  if (!text->bad_lines.empty() && text->bad_lines.front().line < 2)
    return fail(ErrorKind::invalid_input,
                name + " line 1 (the header): " + text->bad_lines.front().reason);
  auto columns = map_header(records->front().fields);
  if (!columns) return std::unexpected(with_context(columns.error(), name + " line 1"));
  records->erase(records->begin());
  report.rows = static_cast<int>(records->size());
  if (report.rows == 0)
    return fail(ErrorKind::invalid_input, name + ": no order rows below the header line (" +
                                              std::to_string(bytes.size()) + " bytes)");
  const auto undecodable =
      set_aside_undecodable(*records, text->bad_lines, *columns, shop, report.bad_rows);

  const std::string actor = "csv:" + name;
  const std::string sha = sha256_hex(bytes);
  store::OrderRepository orders(m_conn, m_clock);
  store::QuarantineRepository quarantine(m_conn);
  report.kind = columns->kind;
  if (columns->kind != FileKind::full) {
    // Half of the export pair: keep it, and put together the trades now complete.
    ParsedRows parsed;
    auto stored = store::in_transaction(m_conn, [&]() -> Result<store::UpsertReport> {
      ReportPair pair(m_conn);
      auto touched = pair.keep(*records, *columns, shop, name, m_clock.now());
      auto joined = pair.take_complete(shop, touched);
      parsed = parse_rows(joined, ReportPair::joined_map(), shop);
      std::set<orders::Tid> complete;
      for (const auto& t : parsed.trades) complete.insert(t.tid);
      for (const auto& r : parsed.rejections)
        if (r.tid) complete.insert(*r.tid);
      report.halves_waiting = static_cast<int>(touched.size() - complete.size());
      auto r = orders.upsert(parsed.trades, actor);
      quarantine.add(parsed.rejections, actor, m_clock.now());
      quarantine.add(undecodable, actor, m_clock.now());
      return r;
    });
    if (!stored) return std::unexpected(with_context(stored.error(), name));
    report.stored = *stored;
    report.bad_rows.insert(report.bad_rows.end(), parsed.bad_rows.begin(), parsed.bad_rows.end());
    // Rows whose order number cannot be read never reach the pair: report them here.
    if (columns->at(Column::tid))
      for (const auto& rec : *records) {
        const auto v = tid_text(rec, *columns);
        if (!parse_digits(v))
          report.bad_rows.push_back(
              {rec.line, "tid: \"" + std::string(v.substr(0, 30)) + "\" is not an order number"});
      }
  } else {
    ParsedRows parsed = parse_rows(*records, *columns, shop);
    report.bad_rows.insert(report.bad_rows.end(), parsed.bad_rows.begin(), parsed.bad_rows.end());
    parsed.rejections.insert(parsed.rejections.end(), undecodable.begin(), undecodable.end());
    std::span<const orders::Trade> all(parsed.trades);
    // At least one transaction runs, so a file of only bad rows still reaches the quarantine.
    std::size_t first = 0;
    do {
      auto batch = all.subspan(first, std::min(k_batch, all.size() - first));
      auto stored = store::in_transaction(m_conn, [&]() -> Result<store::UpsertReport> {
        auto r = orders.upsert(batch, actor);
        if (first == 0) quarantine.add(parsed.rejections, actor, m_clock.now());
        return r;
      });
      if (!stored) return std::unexpected(with_context(stored.error(), name));
      report.stored += *stored;
      first += k_batch;
    } while (first < all.size());
  }
  auto recorded = store::in_transaction(m_conn, [&]() -> Result<bool> {
    long long seen = 0;
    m_conn.sql() << "SELECT COUNT(*) FROM csv_imports WHERE sha256 = :s", soci::use(sha),
        soci::into(seen);
    if (seen == 0) {
      long long rows = report.rows, bad = static_cast<long long>(report.bad_rows.size()),
                at = m_clock.now();
      std::string file = name, s = shop;
      m_conn.sql() << "INSERT INTO csv_imports (sha256, shop, file_name, rows_total, rows_bad, "
                      "imported_at) VALUES (:h, :s, :f, :r, :b, :a)",
          soci::use(sha), soci::use(s), soci::use(file), soci::use(rows), soci::use(bad),
          soci::use(at);
    }
    // Counted with the file, so the shop's figures say what an import by hand stored too.
    store::SyncStateRepository(m_conn).record_import(
        shop, report.stored.inserted + report.stored.updated, m_clock.now());
    return seen > 0;
  });
  if (!recorded) return std::unexpected(with_context(recorded.error(), name));
  report.seen_before = *recorded;
  std::stable_sort(report.bad_rows.begin(), report.bad_rows.end(),
                   [](const BadRow& a, const BadRow& b) { return a.line < b.line; });
  for (const auto& b : report.bad_rows)
    log::warn("csv row refused",
              {{"shop", shop}, {"file", name}, {"line", b.line}, {"reason", b.reason}});
  log::info("csv imported", {{"shop", shop},
                             {"file", name},
                             {"rows", report.rows},
                             {"inserted", report.stored.inserted},
                             {"updated", report.stored.updated},
                             {"unchanged", report.stored.unchanged},
                             {"bad_rows", static_cast<std::int64_t>(report.bad_rows.size())},
                             {"waiting_for_other_half", report.halves_waiting}});
  return report;
}

}  // namespace fulfil::csvimport
