// reminders_bench: planning payment reminders (催付) for a Double-11 evening's unpaid trades on
// SQLite, beside the raw limit of the same rows measured in the same run.
//   1. The planner: intake (every unpaid trade read, a buyer's trades grouped into one
//      reminder, reminders and their trades written) and the first planning pass (each
//      reminder's attempts and its buyer's history read, the planner run, an IM task with its
//      script written for each); trades/s, and the process's peak RSS.
//   2. The raw limit: the same unpaid rows read and the same reminder, trade and task rows
//      written through the bare sqlite3 C API on a copy of the same store, with no grouping,
//      no planner and no scripts.
//   reminders_bench [--trades N] [--buyers B]
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "modules.hpp"
#include "reminders/intake.hpp"
#include "reminders/planning.hpp"
#include "reminders/template_store.hpp"
#include "review_fixture.hpp"
#include "test_support.hpp"

using namespace fulfil;
using Steady = std::chrono::steady_clock;

namespace {

double ms_since(Steady::time_point t) {
  return std::chrono::duration<double, std::milli>(Steady::now() - t).count();
}

// The bare sqlite3 loop: read the unpaid rows, write one reminder per buyer, every trade's
// link and one task per reminder, in one transaction.
double raw_limit(const std::string& path, long& trades, long& reminders) {
  sqlite3* db;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
  auto prep = [&](const char* sql) {
    sqlite3_stmt* s;
    sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
    return s;
  };
  const auto start = Steady::now();
  sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  sqlite3_stmt* read = prep(
      "SELECT t.tid, t.shop, t.buyer_nick, t.receiver_mobile, t.payment, t.created FROM trades t "
      "WHERE t.fstate = 'awaiting_payment' AND t.status = 'WAIT_BUYER_PAY' AND NOT EXISTS "
      "(SELECT 1 FROM reminder_trades rt WHERE rt.tid = t.tid)");
  sqlite3_stmt* add = prep(
      "INSERT INTO reminders (shop, buyer_nick, mobile, amount, orders, first_placed, big, state, "
      "created_at, wake_at) VALUES (?, ?, ?, ?, 1, ?, 0, 'open', ?, ?) RETURNING id");
  sqlite3_stmt* link =
      prep("INSERT INTO reminder_trades (tid, reminder_id, payment, placed) VALUES (?, ?, ?, ?)");
  sqlite3_stmt* task = prep(
      "INSERT INTO reminder_attempts (reminder_id, channel, state, idem_key, due_from, "
      "due_until, script, created_at) VALUES (?, 'im', 'due', ?, ?, ?, '', ?)");
  std::map<std::string, sqlite3_int64> ids;
  while (sqlite3_step(read) == SQLITE_ROW) {
    const std::string buyer = reinterpret_cast<const char*>(sqlite3_column_text(read, 2));
    auto it = ids.find(buyer);
    if (it == ids.end()) {
      sqlite3_bind_text(add, 1, reinterpret_cast<const char*>(sqlite3_column_text(read, 1)), -1,
                        SQLITE_TRANSIENT);
      sqlite3_bind_text(add, 2, buyer.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(add, 3, reinterpret_cast<const char*>(sqlite3_column_text(read, 3)), -1,
                        SQLITE_TRANSIENT);
      sqlite3_bind_int64(add, 4, sqlite3_column_int64(read, 4));
      for (int i : {5, 6, 7}) sqlite3_bind_int64(add, i, sqlite3_column_int64(read, 5));
      sqlite3_step(add);
      it = ids.emplace(buyer, sqlite3_column_int64(add, 0)).first;
      sqlite3_reset(add);
      const std::string key = "r" + std::to_string(it->second) + "-im-1";
      sqlite3_bind_int64(task, 1, it->second);
      sqlite3_bind_text(task, 2, key.c_str(), -1, SQLITE_TRANSIENT);
      for (int i : {3, 4, 5}) sqlite3_bind_int64(task, i, sqlite3_column_int64(read, 5));
      sqlite3_step(task);
      sqlite3_reset(task);
    }
    sqlite3_bind_int64(link, 1, sqlite3_column_int64(read, 0));
    sqlite3_bind_int64(link, 2, it->second);
    sqlite3_bind_int64(link, 3, sqlite3_column_int64(read, 4));
    sqlite3_bind_int64(link, 4, sqlite3_column_int64(read, 5));
    sqlite3_step(link);
    sqlite3_reset(link);
    ++trades;
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  reminders = static_cast<long>(ids.size());
  const double ms = ms_since(start);
  for (auto* s : {read, add, link, task}) sqlite3_finalize(s);
  sqlite3_close(db);
  return ms;
}

}  // namespace

int main(int argc, char** argv) {
  long n = 1'000'000, buyers = 100'000;
  const auto number = test::option_number;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--trades") n = static_cast<long>(number("--trades", argv[i + 1], 10'000'000));
    if (a == "--buyers") buyers = static_cast<long>(number("--buyers", argv[i + 1], 10'000'000));
  }
  buyers = std::min(buyers, n);
  test::TempDir dir;
  const std::string path = (dir / "store.db").string();
  // 2026-11-11 20:00 Shanghai: the evening of the peak day; trades placed in its last 10 hours.
  const UnixSeconds evening = 1'794'398'400;
  ManualClock clock{evening};
  reminders::ReminderSettings settings;
  const auto load_start = Steady::now();
  {
    auto c = store::Connection::open(*store::StoreUrl::parse("sqlite:" + path),
                                     store::Durability::strict);
    if (!c || !daemon::migrate_all(**c)) return std::fprintf(stderr, "cannot open the store\n"), 1;
    if (!reminders::TemplateStore(**c, clock).seed_builtins()) return 1;
    std::vector<orders::Trade> batch;
    for (long i = 0; i < n; ++i) {
      const long buyer = i % buyers;
      auto t = test::paid_trade(4200000000000000000 + i * 10, evening - 36000 + (i * 36000) / n,
                                "买家" + std::to_string(buyer));
      t.status = "WAIT_BUYER_PAY";
      t.pay_time = std::nullopt;
      t.created = t.modified = evening - 36000 + (i * 36000) / n;
      t.receiver_mobile = "139" + std::to_string(10'000'000 + buyer);
      t.lines[0].status = t.status;
      t.payment = t.total_fee = t.lines[0].payment = 1000 + (i * 7919) % 90000;
      batch.push_back(std::move(t));
      if (batch.size() == 20'000 || i + 1 == n) {
        test::store_trades(**c, clock, batch);
        batch.clear();
      }
    }
    (**c).sql() << "PRAGMA wal_checkpoint(TRUNCATE)";
  }
  const double load_ms = ms_since(load_start);
  const std::string raw_path = (dir / "raw.db").string();
  std::filesystem::copy_file(path, raw_path);

  const long rss_before = test::peak_rss_mb();
  auto c =
      store::Connection::open(*store::StoreUrl::parse("sqlite:" + path), store::Durability::strict);
  // 11:10, an hour after the first trades: every buyer's first trade (placed 10:00-11:00) is in
  // its IM window, so the pass plans a task with its script for each reminder.
  clock.set(evening - 36000 + 4200);
  auto start = Steady::now();
  auto taken = reminders::Intake(**c, clock, settings).take_unpaid();
  if (!taken) return std::fprintf(stderr, "intake: %s\n", taken.error().message.c_str()), 1;
  const double intake_ms = ms_since(start);
  auto t = Steady::now();
  auto planned = reminders::Planning(**c, clock, settings).plan(10'000'000);
  if (!planned) return std::fprintf(stderr, "plan: %s\n", planned.error().message.c_str()), 1;
  const double plan_ms = ms_since(t);
  const double total_ms = ms_since(start);
  // A later pass of the job at this load: nothing new, every reminder still open (settle
  // reads each one's trades), nobody due for a look.
  clock.advance(60);
  t = Steady::now();
  auto again = reminders::Intake(**c, clock, settings).take_unpaid();
  auto settled = reminders::Intake(**c, clock, settings).settle();
  auto quiet = reminders::Planning(**c, clock, settings).plan(10'000'000);
  if (!again || !settled || !quiet) return std::fprintf(stderr, "second pass failed\n"), 1;
  const double steady_ms = ms_since(t);
  const long rss = test::peak_rss_mb();

  long raw_trades = 0, raw_reminders = 0;
  const double raw_ms = raw_limit(raw_path, raw_trades, raw_reminders);
  std::printf("reminders_bench: %ld unpaid trades of %ld buyers (loaded in %.0f ms)\n", n, buyers,
              load_ms);
  std::printf(
      "  planner: intake %d trades into %d reminders in %.0f ms, first pass planned %d IM, %d "
      "calls, %d texts over %d reminders in %.0f ms: %.0f trades/s\n",
      taken->trades, taken->reminders, intake_ms, planned->im, planned->phone, planned->sms,
      planned->looked, plan_ms, 1000.0 * n / total_ms);
  std::printf(
      "  a later pass with nothing new (intake, settle over every open reminder, plan): %.0f ms\n",
      steady_ms);
  std::printf("  peak RSS %ld MB (%ld MB before planning)\n", rss, rss_before);
  std::printf(
      "  raw sqlite3 (same rows read, same reminder, link and task rows written): %ld trades, "
      "%ld reminders in %.0f ms: %.0f trades/s; ratio %.2f\n",
      raw_trades, raw_reminders, raw_ms, 1000.0 * raw_trades / raw_ms,
      (1000.0 * n / total_ms) / (1000.0 * raw_trades / raw_ms));
  return taken->trades == n && raw_trades == n && taken->reminders == buyers ? 0 : 1;
}
