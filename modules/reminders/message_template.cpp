#include "reminders/message_template.hpp"

#include <algorithm>

#include "common/utf8.hpp"

namespace fulfil::reminders {

namespace {

constexpr std::string_view k_open = "{$", k_close = "$}";

bool known(std::string_view name) {
  return std::find(std::begin(k_placeholders), std::end(k_placeholders), name) !=
         std::end(k_placeholders);
}

std::size_t characters(std::string_view text) {
  return code_points(text).size();
}

}  // namespace

std::vector<std::string> placeholders_of(std::string_view text) {
  std::vector<std::string> out;
  for (auto i = text.find(k_open); i != std::string_view::npos; i = text.find(k_open, i + 1)) {
    const auto end = text.find(k_close, i + k_open.size());
    if (end == std::string_view::npos) break;
    out.emplace_back(text.substr(i + k_open.size(), end - i - k_open.size()));
  }
  return out;
}

std::string fill(std::string_view text, const Values& values) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto open = text.find(k_open, i);
    const auto close = open == std::string_view::npos ? open : text.find(k_close, open + 2);
    if (close == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    out += text.substr(i, open - i);
    const auto name = text.substr(open + 2, close - open - 2);
    if (auto v = values.find(name); v != values.end())
      out += v->second;
    else
      out += text.substr(open, close + 2 - open);
    i = close + 2;
  }
  return out;
}

std::size_t sms_characters(std::string_view sign_name, std::string_view filled) {
  return characters(sign_name) + 2 + characters(filled);  // 【 and 】
}

std::size_t sms_parts(std::size_t n) {
  return n <= k_sms_chars ? 1 : (n + k_sms_part_chars - 1) / k_sms_part_chars;
}

Result<void> check_sms_template(std::string_view text, std::string_view sign_name,
                                const Values& longest) {
  std::vector<std::string> problems;
  const auto names = placeholders_of(text);
  for (const auto& n : names)
    if (!known(n)) problems.push_back("unknown placeholder {$" + n + "$}");
  if (std::find(names.begin(), names.end(), "商品名称") == names.end())
    problems.push_back("the product is not named: use {$商品名称$}");
  if (auto at = text.find("{$顾客姓名$}"); at != std::string_view::npos) {
    const auto before = characters(text.substr(0, at));
    if (before > 6)
      problems.push_back("the buyer's name starts at character " + std::to_string(before + 1) +
                         ": it should be within the first 7");
  }
  const auto n = sms_characters(sign_name, fill(text, longest));
  if (n > k_sms_chars)
    problems.push_back(std::to_string(n) + " characters with 【" + std::string(sign_name) +
                       "】 and the longest values: more than " + std::to_string(k_sms_chars) +
                       " is billed as " + std::to_string(sms_parts(n)) + " messages");
  if (problems.empty()) return {};
  std::string all;
  for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
  return fail(ErrorKind::invalid_input, "template: " + all);
}

}  // namespace fulfil::reminders
