#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "csvimport/csv_reader.hpp"

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

// What a file holds: whole trades (one row per line), or one half of the platform's
// export pair: the order report (订单报表, one row per trade, no items) or the item report
// (宝贝报表, one row per line, no buyer or address), joined by 订单编号.
enum class FileKind { full, order_report, item_report };

// Where each known column sits in a file (nullopt: absent).
struct ColumnMap {
  FileKind kind = FileKind::full;
  std::array<std::optional<std::size_t>, static_cast<std::size_t>(Column::count_)> index;
  std::optional<std::size_t> at(Column c) const { return index[static_cast<std::size_t>(c)]; }
};

// Maps a header row to columns and tells the file's kind. Accepts fulfild's names (tid,
// buyer_nick, ...) and the platform export's Chinese headers (订单编号, 买家会员名,
// 收货地址, ...), trailing spaces and all. Unknown headers are ignored; missing required
// columns are an error that lists them.
Result<ColumnMap> map_header(const std::vector<std::string>& header);

// A record's order number as written (trimmed, without the apostrophe Excel users keep long
// numbers with); empty when the file has no tid column or the record is shorter.
std::string_view tid_text(const CsvRecord& record, const ColumnMap& columns);

// The columns a half file carries over to its other half.
bool order_column(Column c);

// The documented layout's header, in order (for the sample file and the README).
std::vector<std::string_view> layout_header();

}  // namespace fulfil::csvimport
