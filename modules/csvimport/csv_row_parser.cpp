#include "csvimport/csv_row_parser.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "common/digits.hpp"
#include "common/money.hpp"
#include "common/timeutil.hpp"
#include "common/utf8.hpp"
#include "orders/address.hpp"

namespace fulfil::csvimport {

namespace {

constexpr std::size_t k_max_field_bytes = 4096;

// A field's value: trimmed, and unwrapped from the forms Excel users keep long ids in.
std::string_view field_value(std::string_view s) {
  s = trim_field(s);
  // Excel users keep long ids as text with a leading apostrophe or ="...".
  if (s.starts_with('\'')) s.remove_prefix(1);
  if (s.starts_with("=\"") && s.ends_with('"')) s = s.substr(2, s.size() - 3);
  return s;
}

// Reads one record's fields by column, noting the first problem.
class RowReader {
 public:
  RowReader(const CsvRecord& r, const ColumnMap& m) : m_rec(r), m_map(m) {}
  bool ok() const { return m_error.empty(); }
  const std::string& error() const { return m_error; }
  void fail(std::string_view column, std::string why) {
    if (ok()) m_error = std::string(column) + ": " + why;
  }

  std::string_view raw(Column c) const {
    auto i = m_map.at(c);
    if (!i || *i >= m_rec.fields.size()) return {};
    return field_value(m_rec.fields[*i]);
  }
  std::string text(Column c, std::string_view name, bool required = false) {
    std::string_view v = raw(c);
    if (v.size() > k_max_field_bytes)
      fail(name, "too long (" + std::to_string(v.size()) + " bytes)");
    else if (has_control(v, true))  // a NUL would cut the text short in the store
      fail(name, "holds a control character: \"" + printable(v, 60) + "\"");
    else if (required && v.empty())
      fail(name, "empty");
    return std::string(v);
  }
  std::int64_t id(Column c, std::string_view name, bool required) {
    std::string_view v = raw(c);
    if (v.empty()) {
      if (required) fail(name, "empty");
      return 0;
    }
    auto parsed = parse_digits(v);
    if (parsed) return *parsed;
    if (v.starts_with('-') && parse_digits(v.substr(1))) {
      fail(name, "\"" + std::string(v.substr(0, 30)) + "\" is negative");
    } else if (parsed.error() == DigitsError::too_large) {
      fail(name, "\"" + std::string(v.substr(0, 30)) + "\" is too large for a 64-bit id");
    } else {
      fail(name,
           "\"" + std::string(v.substr(0, 30)) + "\" is not a number" +
               (v.find_first_of("Ee") != std::string_view::npos
                    ? " (Excel turned the id into scientific notation: format the column as text)"
                    : ""));
    }
    return 0;
  }
  Fen money(Column c, std::string_view name, bool required, Fen dflt = 0) {
    std::string_view v = raw(c);
    for (std::string_view sign : {"¥", "￥"})
      if (v.starts_with(sign)) v.remove_prefix(sign.size());
    if (v.empty()) {
      if (required) fail(name, "empty");
      return dflt;
    }
    auto fen = parse_yuan(v);
    if (!fen) {
      fail(name, fen.error().message);
      return 0;
    }
    return *fen;
  }
  std::optional<UnixSeconds> time(Column c, std::string_view name, bool required) {
    std::string_view v = raw(c);
    if (v.empty()) {
      if (required) fail(name, "empty");
      return std::nullopt;
    }
    auto t = parse_csv_time(v);
    if (!t) {
      fail(name, t.error().message);
      return std::nullopt;
    }
    return *t;
  }

 private:
  const CsvRecord& m_rec;
  const ColumnMap& m_map;
  std::string m_error;
};

// A stable line id for files without one (the trade's own id mixed with the line number).
std::int64_t synthetic_oid(std::int64_t tid, std::size_t line_no) {
  std::uint64_t x = static_cast<std::uint64_t>(tid) * 0x9E3779B97F4A7C15ULL + line_no + 1;
  x ^= x >> 31;
  return static_cast<std::int64_t>(x & 0x3FFFFFFFFFFFFFFFULL) | (1LL << 62);
}

// The record as a CSV line again, for the quarantine.
std::string join_fields(const CsvRecord& rec) {
  std::string out;
  for (std::size_t i = 0; i < rec.fields.size(); ++i) {
    if (i) out.push_back(',');
    out += rec.fields[i];
  }
  return out;
}

}  // namespace

Result<UnixSeconds> parse_csv_time(std::string_view text) {
  // Normalise "2026/11/11 0:05" into "2026-11-11 00:05:00".
  unsigned parts[6] = {0, 0, 0, 0, 0, 0};
  int n = 0;
  bool digit = false;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (!digit) {
        if (n == 6)
          return fail(ErrorKind::invalid_input,
                      "time \"" + std::string(text) + "\": too many parts");
        ++n;
      }
      parts[n - 1] = parts[n - 1] * 10 + static_cast<unsigned>(c - '0');
      if (parts[n - 1] > 9999)
        return fail(ErrorKind::invalid_input, "time \"" + std::string(text) + "\": bad number");
      digit = true;
    } else if (c == '-' || c == '/' || c == ' ' || c == ':' || c == 'T') {
      digit = false;
    } else {
      return fail(ErrorKind::invalid_input,
                  "time \"" + std::string(text.substr(0, 40)) + "\": expected yyyy-MM-dd HH:mm:ss");
    }
  }
  if (n != 3 && n != 5 && n != 6)
    return fail(ErrorKind::invalid_input,
                "time \"" + std::string(text.substr(0, 40)) + "\": expected yyyy-MM-dd HH:mm:ss");
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04u-%02u-%02u %02u:%02u:%02u", parts[0], parts[1], parts[2],
                parts[3], parts[4], parts[5]);
  return parse_gmt8(buf);
}

std::optional<std::string> normalise_status(std::string_view s) {
  static const std::map<std::string_view, std::string_view> k_chinese = {
      {"", "WAIT_SELLER_SEND_GOODS"},
      {"买家已付款，等待卖家发货", "WAIT_SELLER_SEND_GOODS"},
      {"买家已付款,等待卖家发货", "WAIT_SELLER_SEND_GOODS"},
      {"等待卖家发货", "WAIT_SELLER_SEND_GOODS"},
      {"等待买家付款", "WAIT_BUYER_PAY"},
      {"卖家已发货，等待买家确认", "WAIT_BUYER_CONFIRM_GOODS"},
      {"卖家已发货,等待买家确认", "WAIT_BUYER_CONFIRM_GOODS"},
      {"交易成功", "TRADE_FINISHED"},
      {"交易关闭", "TRADE_CLOSED"},
      {"付款以前，卖家或买家主动关闭交易", "TRADE_CLOSED_BY_TAOBAO"},
  };
  if (auto it = k_chinese.find(s); it != k_chinese.end()) return std::string(it->second);
  static constexpr std::string_view k_codes[] = {
      "TRADE_NO_CREATE_PAY",   "WAIT_BUYER_PAY",
      "PAY_PENDING",           "WAIT_PRE_AUTH_CONFIRM",
      "PAID_FORBID_CONSIGN",   "WAIT_SELLER_SEND_GOODS",
      "SELLER_CONSIGNED_PART", "WAIT_BUYER_CONFIRM_GOODS",
      "TRADE_BUYER_SIGNED",    "TRADE_FINISHED",
      "TRADE_CLOSED",          "TRADE_CLOSED_BY_TAOBAO"};
  for (auto code : k_codes)
    if (s == code) return std::string(code);
  return std::nullopt;
}

ParsedRows parse_rows(const std::vector<CsvRecord>& records, const ColumnMap& columns,
                      const std::string& shop) {
  ParsedRows out;
  struct Group {
    orders::Trade trade;
    std::vector<int> lines;  // file lines of its rows
    std::string error;       // first problem in any of its rows
    int error_line = 0;
    std::string error_row;
  };
  std::vector<Group> groups;
  std::unordered_map<orders::Tid, std::size_t> by_tid;
  // Each order line's first good row: two exports pasted together repeat rows, which are the
  // same row and import once; an oid on two different rows is refused naming both lines.
  struct FirstRow {
    orders::Tid tid = 0;
    int line = 0;
    std::string fields;
  };
  std::unordered_map<std::int64_t, FirstRow> by_oid;

  for (const auto& rec : records) {
    RowReader r(rec, columns);
    if (auto bad = [&]() -> std::optional<std::size_t> {
          for (const auto& f : rec.fields)
            if (auto at = find_invalid_utf8(f)) return at;
          return std::nullopt;
        }()) {
      out.bad_rows.push_back({rec.line, "invalid UTF-8 at byte " + std::to_string(*bad)});
      out.rejections.push_back({shop, std::nullopt, "line " + std::to_string(rec.line),
                                out.bad_rows.back().reason, join_fields(rec)});
      continue;
    }
    const orders::Tid tid = r.id(Column::tid, "tid", true);
    if (!r.ok()) {
      out.bad_rows.push_back({rec.line, r.error()});
      out.rejections.push_back(
          {shop, std::nullopt, "line " + std::to_string(rec.line), r.error(), join_fields(rec)});
      continue;
    }
    const std::int64_t oid = r.id(Column::oid, "oid", false);
    if (auto first = by_oid.find(oid); r.ok() && first != by_oid.end()) {
      if (first->second.fields == join_fields(rec)) continue;  // the same row again
      r.fail("oid",
             "order line " + std::to_string(oid) + " is also on line " +
                 std::to_string(first->second.line) +
                 (first->second.tid == tid ? " with other values"
                                           : " under trade " + std::to_string(first->second.tid)));
    }
    auto [it, fresh] = by_tid.try_emplace(tid, groups.size());
    if (fresh) groups.emplace_back();
    Group& g = groups[it->second];
    g.lines.push_back(rec.line);
    orders::Trade& t = g.trade;
    if (fresh) {
      t.tid = tid;
      t.shop = shop;
      auto status = normalise_status(r.raw(Column::status));
      if (!status)
        r.fail("status", "unknown status \"" + std::string(r.raw(Column::status)) + "\"");
      else
        t.status = *status;
      t.created = r.time(Column::created, "created", true).value_or(0);
      t.pay_time = r.time(Column::pay_time, "pay_time", false);
      // Without a modified time, the latest known moment stands in: a re-import of the same
      // file is then "not newer" and changes nothing.
      t.modified =
          r.time(Column::modified, "modified", false).value_or(t.pay_time.value_or(t.created));
      t.buyer_nick = r.text(Column::buyer_nick, "buyer_nick", true);
      t.receiver_name = r.text(Column::receiver_name, "receiver_name", true);
      t.receiver_mobile = r.text(Column::receiver_mobile, "receiver_mobile");
      t.receiver_phone = r.text(Column::receiver_phone, "receiver_phone");
      if (columns.at(Column::address_line) &&
          (!columns.at(Column::receiver_state) || r.raw(Column::receiver_state).empty())) {
        t.address = orders::parse_address_line(r.text(Column::address_line, "收货地址", true));
        if (r.ok() && t.address.detail.empty())
          r.fail("收货地址", "no street address after the region");
      } else {
        std::string state = r.text(Column::receiver_state, "receiver_state", true),
                    city = r.text(Column::receiver_city, "receiver_city"),
                    district = r.text(Column::receiver_district, "receiver_district"),
                    detail = r.text(Column::receiver_address, "receiver_address", true),
                    zip = r.text(Column::receiver_zip, "receiver_zip");
        t.address = orders::normalise_address({state, city, district, {}, detail, zip});
      }
      t.post_fee = r.money(Column::post_fee, "post_fee", false);
      t.discount_fee = r.money(Column::discount_fee, "discount_fee", false);
      t.payment = r.money(Column::payment, "payment", false, -1);
      t.buyer_message = r.text(Column::buyer_message, "buyer_message");
      t.seller_memo = r.text(Column::seller_memo, "seller_memo");
      std::string_view flag = r.raw(Column::seller_flag);
      if (!flag.empty()) {
        if (flag.size() != 1 || flag[0] < '0' || flag[0] > '5')
          r.fail("seller_flag", "expected 0-5");
        else
          t.seller_flag = flag[0] - '0';
      }
    }
    orders::TradeLine l;
    l.oid = r.id(Column::oid, "oid", false);
    if (l.oid == 0) l.oid = synthetic_oid(tid, t.lines.size());
    l.title = r.text(Column::title, "title", true);
    l.outer_iid = r.text(Column::outer_iid, "outer_iid");
    l.outer_sku_id = r.text(Column::outer_sku_id, "outer_sku_id");
    l.sku_properties = r.text(Column::sku_properties, "sku_properties");
    // The item report writes 颜色分类：深紫色；尺码：S with full-width punctuation.
    for (auto [wide, narrow] : {std::pair{"：", ":"}, std::pair{"；", ";"}})
      for (auto at = l.sku_properties.find(wide); at != std::string::npos;
           at = l.sku_properties.find(wide, at))
        l.sku_properties.replace(at, std::string_view(wide).size(), narrow);
    l.price = r.money(Column::price, "price", true);
    l.num = static_cast<int>(r.id(Column::num, "num", true));
    if (r.ok() && (l.num < 1 || l.num > 100000)) r.fail("num", "must be 1-100000");
    l.payment = r.money(Column::line_payment, "line_payment", false, l.price * l.num);
    l.refund_status = r.text(Column::refund_status, "refund_status");
    l.status = t.status;
    t.lines.push_back(std::move(l));
    if (r.ok() && oid != 0) by_oid.try_emplace(oid, FirstRow{tid, rec.line, join_fields(rec)});
    if (!r.ok() && g.error.empty()) {
      g.error = r.error();
      g.error_line = rec.line;
      g.error_row = join_fields(rec);
    }
  }

  for (auto& g : groups) {
    orders::Trade& t = g.trade;
    if (g.error.empty() && t.payment < 0) {
      // No paid amount in the file: the lines plus postage less discount.
      t.payment = t.post_fee - t.discount_fee;
      for (const auto& l : t.lines) t.payment += l.payment;
    }
    t.total_fee = 0;
    for (const auto& l : t.lines) t.total_fee += l.price * l.num;
    if (g.error.empty()) {
      out.trades.push_back(std::move(t));
      continue;
    }
    for (int line : g.lines) {
      std::string reason = line == g.error_line
                               ? g.error
                               : "trade " + std::to_string(t.tid) + " has a bad row (line " +
                                     std::to_string(g.error_line) + ")";
      out.bad_rows.push_back({line, reason});
    }
    out.rejections.push_back(
        {shop, t.tid, "line " + std::to_string(g.error_line), g.error, g.error_row});
  }
  std::sort(out.bad_rows.begin(), out.bad_rows.end(),
            [](const BadRow& a, const BadRow& b) { return a.line < b.line; });
  return out;
}

}  // namespace fulfil::csvimport
