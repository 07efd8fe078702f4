#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fulfil::printers {

// What a template may bind to. Templates naming anything else are refused when loaded.
struct FieldInfo {
  std::string_view name;
  std::string_view meaning;
};

// Fields of the parcel as a whole ({receiver_address}).
inline constexpr FieldInfo k_label_fields[] = {
    {"parcel_id", "the parcel's id"},
    {"serial", "the parcel's serial number (D11072800007)"},
    {"tids", "the platform trade numbers it ships, comma-separated"},
    {"shop", "the shop's name"},
    {"warehouse", "the warehouse's name"},
    {"courier_code", "the courier's code (SF, ZTO)"},
    {"courier_name", "the courier's name (顺丰速运)"},
    {"waybill_no", "the tracking number"},
    {"sort_code", "the courier's sort/routing code (大头笔); the city when none"},
    {"sender_name", "the sender"},
    {"sender_phone", "the sender's phone"},
    {"sender_address", "the sender's full address"},
    {"receiver_name", "the receiver"},
    {"receiver_phone", "the receiver's mobile, else phone"},
    {"receiver_address", "the receiver's full address, province to street"},
    {"receiver_province", "the receiver's province"},
    {"receiver_city", "the receiver's city"},
    {"buyer_nick", "the buyer's platform name"},
    {"buyer_message", "the buyer's message"},
    {"seller_memo", "the seller's memo"},
    {"item_summary", "items in one line (SKU x quantity, ...)"},
    {"item_count", "number of pieces"},
    {"goods_total", "sum of line amounts, yuan"},
    {"post_fee", "postage, yuan"},
    {"discount", "discount, yuan"},
    {"payment", "amount paid, yuan"},
    {"pay_time", "when the buyer paid, Asia/Shanghai"},
    {"print_time", "when the label was laid out, Asia/Shanghai"},
    {"return_name", "who receives returns"},
    {"return_phone", "their phone"},
    {"return_address", "where returns go"},
    {"form_code", "the code on the return form that identifies the parcel (R + parcel id)"},
    {"page", "this page's number on its side"},
    {"pages", "the number of pages on this side"},
};

// Fields of each item line, for table columns ({sku}).
inline constexpr FieldInfo k_line_fields[] = {
    {"no", "the line's number, from 1"},
    {"sku", "the merchant SKU code"},
    {"title", "the item's title"},
    {"item", "title and spec in one"},
    {"spec", "colour, size and other properties"},
    {"qty", "quantity"},
    {"price", "unit price, yuan"},
    {"amount", "line amount paid, yuan"},
};

// Fields of a wave's pick list (templates of kind pick_list).
inline constexpr FieldInfo k_pick_list_fields[] = {
    {"wave", "the wave's number"},
    {"wave_code", "the code on the list that names the wave (W + number)"},
    {"created_by", "who made the wave"},
    {"created_time", "when it was made, Asia/Shanghai"},
    {"parcel_count", "parcels in the wave"},
    {"item_count", "pieces to pick"},
    {"slots", "each slot's parcel serial, in slot order (#1 D11072800007, ...)"},
    {"warehouse", "the warehouse's name"},
    {"print_time", "when the list was laid out, Asia/Shanghai"},
    {"page", "this page's number"},
    {"pages", "the number of pages"},
};

// Fields of each stop of the walk, for a pick list's table columns.
inline constexpr FieldInfo k_pick_line_fields[] = {
    {"no", "the stop's number, from 1"},
    {"location", "the bin location (库位); 活动区 marks the promo zone"},
    {"sku", "the merchant SKU code"},
    {"title", "the item's title"},
    {"item", "title and spec in one"},
    {"spec", "colour, size and other properties"},
    {"qty", "how many to pick"},
    {"slots", "which slots take them (#1×2 #4)"},
};

// One parcel's (or wave's) values for the fields above. Missing fields print as empty text.
struct LabelData {
  std::map<std::string, std::string, std::less<>> fields;
  std::vector<std::map<std::string, std::string, std::less<>>> lines;
};

}  // namespace fulfil::printers
