#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace fulfil::csvimport {

// The columns fulfild understands. One row is one order line; rows with the same tid
// form one trade (trade fields are read from its first row).
enum class Column {
  tid,
  status,
  created,
  pay_time,
  modified,
  buyer_nick,
  receiver_name,
  receiver_mobile,
  receiver_phone,
  receiver_state,
  receiver_city,
  receiver_district,
  receiver_address,
  address_line,
  receiver_zip,
  payment,
  post_fee,
  discount_fee,
  buyer_message,
  seller_memo,
  seller_flag,
  oid,
  outer_iid,
  outer_sku_id,
  title,
  sku_properties,
  price,
  num,
  line_payment,
  refund_status,
  count_
};

// Where each known column sits in a file (nullopt: absent).
struct ColumnMap {
  std::array<std::optional<std::size_t>, static_cast<std::size_t>(Column::count_)> index;
  std::optional<std::size_t> at(Column c) const { return index[static_cast<std::size_t>(c)]; }
};

// Maps a header row to columns. Accepts fulfild's names (tid, buyer_nick, ...) and the
// platform export's Chinese headers (订单编号, 买家会员名, 收货地址, ...). Unknown headers
// are ignored; missing required columns are an error that lists them.
Result<ColumnMap> map_header(const std::vector<std::string>& header);

// The documented layout's header, in order (for the sample file and the README).
std::vector<std::string_view> layout_header();

}  // namespace fulfil::csvimport
