#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace fulfil::reminders {

// The placeholders a reminder text may hold (seed 003's {$…$} form).
// 折扣 is the discount a cross-border message offers ([reminders] discount_percent).
inline constexpr std::string_view k_placeholders[] = {"顾客姓名", "下单时间", "订单ID", "店铺名称",
                                                      "商品名称", "剩余天数", "金额",   "折扣"};

using Values = std::map<std::string, std::string, std::less<>>;

// The {$name$} placeholders of `text`, in order.
std::vector<std::string> placeholders_of(std::string_view text);
// `text` with each placeholder replaced by its value (unknown ones are left as they are).
std::string fill(std::string_view text, const Values& values);

// The length rules of one SMS (../shared/specs/sms.md): the gateway puts 【sign】 before the
// text; 70 characters are one message, longer ones go in parts of 67, each billed.
inline constexpr std::size_t k_sms_chars = 70, k_sms_part_chars = 67;
std::size_t sms_characters(std::string_view sign_name, std::string_view filled);
std::size_t sms_parts(std::size_t characters);

// A text checked when it is saved: no unknown placeholder; at most 70 characters with the
// signature when filled with `longest`, the longest real value of each placeholder in the
// shop; the buyer's name starting within its first 7 characters (when it has one); the
// product named. Every problem is listed (invalid_input).
Result<void> check_sms_template(std::string_view text, std::string_view sign_name,
                                const Values& longest);

}  // namespace fulfil::reminders
