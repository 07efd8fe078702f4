#include "stock/stock_pusher.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

#include "common/log.hpp"
#include "store/row_reader.hpp"

namespace fulfil::stock {

using store::get_int;
using store::get_opt_int;
using store::get_text;

namespace {

// A push that failed in a way worth trying again waits longer each time, at most an hour.
std::int64_t backoff_seconds(std::int64_t attempts) {
  return std::min<std::int64_t>(3600, 30LL << std::min<std::int64_t>(attempts, 7));
}

std::optional<PushMode> switch_of(store::Connection& conn, const std::string& scope) {
  std::string mode;
  soci::indicator ind = soci::i_null;
  conn.sql() << "SELECT mode FROM stock_push_switch WHERE scope = :s", soci::use(scope),
      soci::into(mode, ind);
  if (!conn.sql().got_data() || ind != soci::i_ok) return std::nullopt;
  return parse_push_mode(mode);
}

}  // namespace

Result<PushMode> StockPusher::mode_of(const std::string& shop) {
  try {
    const PushMode all = switch_of(m_conn, "*").value_or(m_s.mode);
    auto configured = m_s.shop_modes.find(shop);
    const PushMode own =
        switch_of(m_conn, "shop:" + shop)
            .value_or(configured == m_s.shop_modes.end() ? PushMode::push : configured->second);
    return stricter(all, own);
  } catch (const std::exception& e) {
    return fail(ErrorKind::storage, e.what());
  }
}

Result<void> StockPusher::set_mode(const std::string& scope, std::optional<PushMode> mode,
                                   const std::string& actor) {
  return store::in_transaction(m_conn, [&]() -> Result<void> {
    const std::string key = scope == "*" ? scope : "shop:" + scope;
    m_conn.sql() << "DELETE FROM stock_push_switch WHERE scope = :s", soci::use(key);
    if (mode) {
      std::string m(to_string(*mode));
      long long at = m_clock.now();
      m_conn.sql() << "INSERT INTO stock_push_switch (scope, mode, set_by, set_at) VALUES (:s, "
                      ":m, :b, :a)",
          soci::use(key), soci::use(m), soci::use(actor), soci::use(at);
    }
    return {};
  });
}

std::vector<PushRow> StockPusher::load(const std::string& shop, const std::string& state,
                                       int limit) {
  std::string sql =
      "SELECT m.shop, m.sku, m.num_iid, m.sku_id, s.on_hand, s.reserved, p.pushed, p.pushed_at, "
      "COALESCE(p.state, 'new'), COALESCE(p.held, ''), COALESCE(p.last_error, ''), "
      "COALESCE(p.attempts, 0), p.wanted, COALESCE(p.next_at, 0) FROM stock_mappings m JOIN "
      "stock s ON s.sku = m.sku LEFT JOIN stock_pushes p ON p.shop = m.shop AND p.sku = m.sku "
      "WHERE (m.shop = :s OR :s2 = '') AND (COALESCE(p.state, 'new') = :st OR :st2 = '') ORDER BY "
      "m.shop, m.sku";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  std::vector<PushRow> out;
  soci::rowset<soci::row> rows = (m_conn.sql().prepare << sql, soci::use(shop), soci::use(shop),
                                  soci::use(state), soci::use(state));
  for (const auto& r : rows) {
    PushRow p;
    p.shop = get_text(r, 0);
    p.sku = get_text(r, 1);
    p.num_iid = get_int(r, 2);
    p.sku_id = get_int(r, 3);
    p.on_hand = get_int(r, 4);
    p.reserved = get_int(r, 5);
    p.pushed = get_opt_int(r, 6);
    p.pushed_at = get_opt_int(r, 7);
    p.state = get_text(r, 8);
    p.held = get_text(r, 9);
    p.last_error = get_text(r, 10);
    p.attempts = get_int(r, 11);
    p.recorded_wanted = get_opt_int(r, 12);
    p.next_at = get_int(r, 13);
    p.safety = m_s.safety_for(p.sku);
    p.wanted = std::max<std::int64_t>(0, p.on_hand - p.reserved - p.safety);
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<PushRow>> StockPusher::rows(const std::string& shop, const std::string& state,
                                               int limit) {
  try {
    return load(shop, state, limit);
  } catch (const std::exception& e) {
    return fail(ErrorKind::storage, e.what());
  }
}

Result<std::vector<std::string>> StockPusher::unmapped(int limit) {
  try {
    std::vector<std::string> out;
    soci::rowset<soci::row> rows =
        (m_conn.sql().prepare << "SELECT s.sku FROM stock s WHERE NOT EXISTS (SELECT 1 FROM "
                                 "stock_mappings m WHERE m.sku = s.sku) ORDER BY s.sku LIMIT " +
                                     std::to_string(limit));
    for (const auto& r : rows) out.push_back(get_text(r, 0));
    return out;
  } catch (const std::exception& e) {
    return fail(ErrorKind::storage, e.what());
  }
}

Result<PushReport> StockPusher::run(const std::string& shop, const PushQuantity& push) {
  auto mode = mode_of(shop);
  if (!mode) return std::unexpected(mode.error());
  PushReport report;
  std::vector<PushRow> due;
  // Before: decide each SKU, keep what is held back, and mark what is about to be pushed.
  auto planned = store::in_transaction(m_conn, [&]() -> Result<void> {
    const long long now = m_clock.now();
    for (auto& row : load(shop, "", 0)) {
      // A refused quantity is not offered again until it changes.
      if (row.state == "refused" && row.recorded_wanted == row.wanted) continue;
      const auto decision = decide_push(*mode, row.pushed, row.wanted);
      std::string state, held;
      if (!decision.push) {
        state = row.pushed && *row.pushed == row.wanted ? "pushed" : "held";
        held = decision.held;
        if (state == row.state && held == row.held) continue;
        if (state == "held") ++report.held;
      } else {
        if (row.state == "due" && row.next_at > now && row.recorded_wanted == row.wanted)
          continue;  // waiting out a backoff
        if (static_cast<int>(due.size()) >= m_s.batch) continue;
        state = "pushing";
        due.push_back(row);
      }
      long long wanted = row.wanted, at = now;
      soci::indicator held_ind = held.empty() ? soci::i_null : soci::i_ok;
      if (row.recorded_wanted)
        m_conn.sql() << "UPDATE stock_pushes SET wanted = :w, state = :st, held = :h, updated_at = "
                        ":a WHERE shop = :s AND sku = :k",
            soci::use(wanted), soci::use(state), soci::use(held, held_ind), soci::use(at),
            soci::use(shop), soci::use(row.sku);
      else
        m_conn.sql() << "INSERT INTO stock_pushes (shop, sku, wanted, state, held, updated_at) "
                        "VALUES (:s, :k, :w, :st, :h, :a)",
            soci::use(shop), soci::use(row.sku), soci::use(wanted), soci::use(state),
            soci::use(held, held_ind), soci::use(at);
    }
    return {};
  });
  if (!planned) return std::unexpected(planned.error());

  // The calls, paced, outside any transaction.
  struct Outcome {
    const PushRow* row;
    Result<void> result;
  };
  std::vector<Outcome> outcomes;
  const auto gap = std::chrono::microseconds(1'000'000 / std::max(1, m_s.per_second));
  auto next_call = std::chrono::steady_clock::now();
  for (const auto& row : due) {
    std::this_thread::sleep_until(next_call);
    next_call = std::chrono::steady_clock::now() + gap;
    auto r = push({row.sku, row.num_iid, row.sku_id, row.wanted});
    const bool stop = !r && r.error().kind == ErrorKind::auth;
    outcomes.push_back({&row, std::move(r)});
    if (stop) break;  // the rest stay "pushing": the next pass pushes them
  }

  // After: each outcome.
  auto recorded = store::in_transaction(m_conn, [&]() -> Result<void> {
    const long long now = m_clock.now();
    for (const auto& [row, r] : outcomes) {
      long long wanted = row->wanted;
      if (r) {
        m_conn.sql() << "UPDATE stock_pushes SET pushed = :w, pushed_at = :a, state = 'pushed', "
                        "held = NULL, attempts = 0, last_error = NULL, updated_at = :a2 WHERE shop "
                        "= :s AND sku = :k",
            soci::use(wanted), soci::use(now), soci::use(now), soci::use(shop), soci::use(row->sku);
        ++report.pushed;
        continue;
      }
      const Error& e = r.error();
      if (e.kind == ErrorKind::remote_reject || e.kind == ErrorKind::invalid_input) {
        // Not tried again until the quantity changes (wanted keeps the one refused).
        m_conn.sql() << "UPDATE stock_pushes SET state = 'refused', last_error = :e, updated_at = "
                        ":a WHERE shop = :s AND sku = :k",
            soci::use(e.message), soci::use(now), soci::use(shop), soci::use(row->sku);
        ++report.refused;
        log::warn("stock push refused", {{"shop", shop},
                                         {"sku", row->sku},
                                         {"num_iid", std::to_string(row->num_iid)},
                                         {"error", e.message}});
        continue;
      }
      long long attempts = row->attempts + 1, next_at = now + backoff_seconds(row->attempts);
      m_conn.sql() << "UPDATE stock_pushes SET state = 'due', attempts = :n, next_at = :t, "
                      "last_error = :e, updated_at = :a WHERE shop = :s AND sku = :k",
          soci::use(attempts), soci::use(next_at), soci::use(e.message), soci::use(now),
          soci::use(shop), soci::use(row->sku);
      ++report.retrying;
      if (e.kind == ErrorKind::auth)
        report.alert =
            "the platform refuses this shop's credentials: stock is not pushed (" + e.message + ")";
    }
    return {};
  });
  if (!recorded) return std::unexpected(recorded.error());
  if (report.pushed || report.refused || report.retrying)
    log::info("stock pushed", {{"shop", shop},
                               {"mode", to_string(*mode)},
                               {"pushed", report.pushed},
                               {"held", report.held},
                               {"refused", report.refused},
                               {"retrying", report.retrying}});
  return report;
}

}  // namespace fulfil::stock
