#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/money.hpp"

namespace fulfil::orders {

using Tid = std::int64_t;  // platform trade id; may have 19 digits, so never a double
using Oid = std::int64_t;  // platform order-line id

// One line of a trade: an item, its SKU and quantity.
struct TradeLine {
  Oid oid = 0;
  std::int64_t num_iid = 0;
  std::int64_t sku_id = 0;
  std::string outer_iid;     // merchant item code
  std::string outer_sku_id;  // merchant SKU code
  std::string title;
  std::string sku_properties;  // "颜色分类:深紫色;尺码:S"
  Fen price = 0;
  int num = 0;
  Fen payment = 0;
  std::string status;
  std::string refund_status;  // empty or NO_REFUND when none
};

// A delivery address split into administrative levels.
struct Address {
  std::string province;
  std::string city;
  std::string district;
  std::string town;
  std::string detail;
  std::string zip;
};

// A trade as the platform (or a CSV import) describes it, already validated.
struct Trade {
  Tid tid = 0;
  std::string shop;
  std::string status;  // platform status, e.g. WAIT_SELLER_SEND_GOODS
  std::string type;
  UnixSeconds created = 0;
  std::optional<UnixSeconds> pay_time;
  UnixSeconds modified = 0;
  std::optional<UnixSeconds> consign_time;
  std::optional<UnixSeconds> end_time;
  Fen payment = 0;
  Fen total_fee = 0;
  Fen post_fee = 0;
  Fen discount_fee = 0;
  std::string buyer_nick;
  std::string buyer_message;
  std::string buyer_memo;
  std::string seller_memo;
  int seller_flag = 0;
  std::string receiver_name;
  std::string receiver_mobile;
  std::string receiver_phone;
  Address address;  // normalised
  std::string shipping_type;
  std::vector<TradeLine> lines;
};

// Why a piece of incoming data was refused: what and where, for the quarantine.
struct Rejection {
  std::string shop;
  std::optional<Tid> tid;
  std::string field;    // "payment", "orders.order[1].price", "row 17"
  std::string reason;   // "amount \"12.345\": more than two decimals"
  std::string payload;  // the offending record as received (cut to a sane size)
};

// True when a line has a refund that is still open (must not ship without review).
bool refund_in_progress(const TradeLine& line);

// Trades the warehouse makes itself (an exchange's replacement goods, modules/aftersale)
// take tids from here up: far above any platform tid (19 digits, below 5e18 today), so
// they never collide, and the platform is never told about them.
inline constexpr Tid k_exchange_tid_base = 9'000'000'000'000'000'000;
// True for a tid the warehouse made (see k_exchange_tid_base).
inline bool is_exchange_tid(Tid tid) {
  return tid >= k_exchange_tid_base;
}

// A 63-bit fingerprint of everything the platform can change on a trade. The platform's
// `modified` has one-second resolution, so two changes in one second look equally new:
// the fingerprint tells whether the second one differs.
std::int64_t content_digest(const Trade& t);

}  // namespace fulfil::orders
