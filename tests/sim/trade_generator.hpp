#pragma once
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/clock.hpp"

namespace fulfil::sim {

// One line of a simulated trade.
struct SimLine {
  std::int64_t oid = 0;
  std::int64_t num_iid = 0;
  std::int64_t sku_id = 0;
  int product = 0;  // index into the product table
  int color = 0;
  int size = 0;
  std::int64_t price_fen = 0;
  int num = 1;
  std::string refund_status;  // empty: none
};

// A simulated trade: the platform's truth.
struct SimTrade {
  std::int64_t tid = 0;
  std::string status;
  UnixSeconds created = 0;
  UnixSeconds pay_time = 0;  // 0: unpaid
  UnixSeconds modified = 0;
  int buyer = 0;    // index into generated names
  int address = 0;  // index into the address table
  std::string detail;
  std::string mobile;
  std::int64_t post_fee = 0;
  std::int64_t discount_fee = 0;
  std::string buyer_message;
  std::string seller_memo;
  int seller_flag = 0;
  std::vector<SimLine> lines;
  std::string raw;  // when set, sent verbatim instead of the fields (bad-input tests)

  std::int64_t total_fee() const;
  std::int64_t payment() const { return total_fee() + post_fee - discount_fee; }
};

// Makes realistic Chinese trades: names, addresses across all 34 provinces (with the
// platform's quirks: municipalities, cities in the district field), emoji in messages,
// 19-digit tids, 1-3 lines (1.5 on average) with SKU properties, unpaid, closed and
// refunding trades. Deterministic for a seed.
class TradeGenerator {
 public:
  explicit TradeGenerator(std::uint64_t seed) : m_rng(seed) {}
  SimTrade make(std::int64_t index, UnixSeconds created);

  // Serialises a trade as the gateway's JSON object.
  static void append_json(std::string& out, const SimTrade& t);

  std::mt19937_64& rng() { return m_rng; }

 private:
  std::mt19937_64 m_rng;
};

// Appends a JSON string literal with escaping.
void append_json_string(std::string& out, std::string_view s);
// Yuan text for fen ("12.50").
std::string yuan(std::int64_t fen);

}  // namespace fulfil::sim
