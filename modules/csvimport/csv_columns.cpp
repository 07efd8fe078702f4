#include "csvimport/csv_columns.hpp"

#include "csvimport/csv_reader.hpp"

namespace fulfil::csvimport {
namespace {

struct Alias {
  std::string_view name;
  Column column;
};

// fulfild's own names first (they are the documented layout), then the platform's.
constexpr Alias k_aliases[] = {
    {"tid", Column::tid},
    {"status", Column::status},
    {"created", Column::created},
    {"pay_time", Column::pay_time},
    {"modified", Column::modified},
    {"buyer_nick", Column::buyer_nick},
    {"receiver_name", Column::receiver_name},
    {"receiver_mobile", Column::receiver_mobile},
    {"receiver_phone", Column::receiver_phone},
    {"receiver_state", Column::receiver_state},
    {"receiver_city", Column::receiver_city},
    {"receiver_district", Column::receiver_district},
    {"receiver_address", Column::receiver_address},
    {"receiver_zip", Column::receiver_zip},
    {"payment", Column::payment},
    {"post_fee", Column::post_fee},
    {"discount_fee", Column::discount_fee},
    {"buyer_message", Column::buyer_message},
    {"seller_memo", Column::seller_memo},
    {"seller_flag", Column::seller_flag},
    {"oid", Column::oid},
    {"outer_iid", Column::outer_iid},
    {"outer_sku_id", Column::outer_sku_id},
    {"title", Column::title},
    {"sku_properties", Column::sku_properties},
    {"price", Column::price},
    {"num", Column::num},
    {"line_payment", Column::line_payment},
    {"refund_status", Column::refund_status},
    // The platform's order export (订单报表 / 宝贝报表).
    {"订单编号", Column::tid},
    {"订单状态", Column::status},
    {"订单创建时间", Column::created},
    {"订单付款时间", Column::pay_time},
    {"买家会员名", Column::buyer_nick},
    {"收货人姓名", Column::receiver_name},
    {"联系手机", Column::receiver_mobile},
    {"联系电话", Column::receiver_phone},
    {"收货地址", Column::address_line},
    {"买家实际支付金额", Column::payment},
    {"买家应付邮费", Column::post_fee},
    {"邮费", Column::post_fee},
    {"买家留言", Column::buyer_message},
    {"订单备注", Column::seller_memo},
    {"子订单编号", Column::oid},
    {"宝贝标题", Column::title},
    {"标题", Column::title},
    {"价格", Column::price},
    {"购买数量", Column::num},
    {"商家编码", Column::outer_sku_id},
    {"外部系统编号", Column::outer_iid},
    {"销售属性", Column::sku_properties},
    {"商品属性", Column::sku_properties},
    {"退款状态", Column::refund_status},
};

}  // namespace

Result<ColumnMap> map_header(const std::vector<std::string>& header) {
  ColumnMap map;
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string_view h = trim_field(header[i]);
    for (const auto& a : k_aliases)
      if (h == a.name && !map.index[static_cast<std::size_t>(a.column)])
        map.index[static_cast<std::size_t>(a.column)] = i;
  }
  const bool has_items = map.at(Column::title) && map.at(Column::price) && map.at(Column::num);
  const bool has_order = map.at(Column::buyer_nick) && map.at(Column::receiver_name) &&
                         (map.at(Column::address_line) || map.at(Column::receiver_state));
  map.kind = has_items || !has_order ? FileKind::full : FileKind::order_report;
  if (has_items && !map.at(Column::buyer_nick) && !map.at(Column::receiver_name) &&
      !map.at(Column::address_line) && !map.at(Column::receiver_state))
    map.kind = FileKind::item_report;
  std::string missing;
  auto need = [&](Column c, std::string_view name) {
    if (!map.at(c)) missing += (missing.empty() ? "" : ", ") + std::string(name);
  };
  need(Column::tid, "tid");
  if (map.kind != FileKind::item_report) {
    need(Column::created, "created");
    need(Column::buyer_nick, "buyer_nick");
    need(Column::receiver_name, "receiver_name");
    if (!map.at(Column::address_line)) {
      need(Column::receiver_state, "receiver_state");
      need(Column::receiver_address, "receiver_address");
    }
  }
  if (map.kind != FileKind::order_report) {
    need(Column::title, "title");
    need(Column::price, "price");
    need(Column::num, "num");
  }
  if (!missing.empty())
    return fail(ErrorKind::invalid_input, "header: missing required columns: " + missing);
  return map;
}

std::string_view tid_text(const CsvRecord& record, const ColumnMap& columns) {
  const auto col = columns.at(Column::tid);
  if (!col || *col >= record.fields.size()) return {};
  std::string_view v = trim_field(record.fields[*col]);
  if (v.starts_with('\'')) v.remove_prefix(1);
  return v;
}

bool order_column(Column c) {
  switch (c) {
    case Column::oid:
    case Column::outer_iid:
    case Column::outer_sku_id:
    case Column::title:
    case Column::sku_properties:
    case Column::price:
    case Column::num:
    case Column::line_payment:
    case Column::refund_status:
      return false;
    default:
      return true;
  }
}

std::vector<std::string_view> layout_header() {
  std::vector<std::string_view> out;
  for (const auto& a : k_aliases) {
    if (static_cast<unsigned char>(a.name[0]) >= 0x80) break;  // the Chinese aliases follow
    out.push_back(a.name);
  }
  return out;
}

}  // namespace fulfil::csvimport
