#pragma once
#include <optional>
#include <string>
#include <vector>

#include "aftersale/return_form.hpp"
#include "common/clock.hpp"

namespace fulfil::aftersale {

// One line of a checked-in return as stored.
struct ReturnLine {
  int line_no = 0;
  orders::Oid oid = 0;
  orders::Tid tid = 0;
  std::string sku, title;
  LineAction action = LineAction::give_back;
  int quantity = 0;
  Fen paid = 0;  // what the buyer paid for this quantity
  std::string new_sku, colour, size;
  std::optional<Fen> new_unit_price;
  int reason_code = 0;
  std::string reason;
};

// The replacement an exchange made: a trade of the warehouse's own.
struct ExchangeRecord {
  orders::Tid tid = 0;
  Fen price_difference = 0;  // new goods minus what was paid for the old (+: buyer owes)
  bool prices_known = true;  // false: a new SKU's price is unknown; customer service decides
  std::optional<std::int64_t> parcel_id;  // once review took it in
  std::string parcel_state;
};

// A return parcel as checked in. `identified`: the original parcel is known;
// `unidentified`: it came without a form and its number matched nothing (yet).
struct ReturnRecord {
  std::int64_t id = 0;
  std::string state;
  std::string scanned;              // what the staff scanned
  std::string courier, waybill_no;  // the return parcel's own courier and number
  std::optional<std::int64_t> parcel_id;
  std::optional<orders::Tid> tid;
  std::string shop, buyer_nick;
  std::string outbound_waybill;  // the waybill the parcel left with
  Condition condition = Condition::fine;
  std::string note, received_by;
  UnixSeconds received_at = 0;
  std::string matched_by;
  std::optional<UnixSeconds> matched_at;
  std::vector<ReturnLine> lines;
  std::optional<ExchangeRecord> exchange;
  std::vector<std::string> slip_ids;  // oldest first
};

}  // namespace fulfil::aftersale
