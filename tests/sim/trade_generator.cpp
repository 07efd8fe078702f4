#include "trade_generator.hpp"

#include <array>
#include <cstdio>

#include "common/timeutil.hpp"

namespace fulfil::sim {
namespace {

constexpr std::array<const char*, 24> k_surnames{
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐",   "孙",
    "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "欧阳", "司马"};
constexpr std::array<const char*, 20> k_given{"伟", "芳", "娜", "秀英", "敏",   "静", "丽",
                                              "强", "磊", "军", "洋",   "艳",   "勇", "杰",
                                              "娟", "涛", "明", "超",   "秀兰", "霞"};
constexpr std::array<const char*, 10> k_nick_tails{"小店常客", "爱购物", "2011", "_tb",  "喵喵",
                                                   "的小窝",   "88",     "love", "宝宝", "🐱"};

struct AddressRow {
  const char* state;
  const char* city;
  const char* district;
};
// The raw forms the platform sends, quirks included.
constexpr std::array<AddressRow, 44> k_addresses{{
    {"北京", "北京市", "朝阳区"},
    {"上海", "上海市", "浦东新区"},
    {"上海", "上海市", "徐汇区"},
    {"天津", "天津市", "和平区"},
    {"重庆", "重庆市", "渝中区"},
    {"广东省", "广州市", "天河区"},
    {"广东省", "深圳市", "南山区"},
    {"广东省", "", "东莞市"},
    {"广东省", "", "中山市"},
    {"浙江省", "杭州市", "西湖区"},
    {"浙江省", "宁波市", "鄞州区"},
    {"江苏省", "南京市", "鼓楼区"},
    {"江苏省", "苏州市", "工业园区"},
    {"河北省", "石家庄市", "长安区"},
    {"山西省", "太原市", "小店区"},
    {"辽宁省", "沈阳市", "和平区"},
    {"吉林省", "长春市", "朝阳区"},
    {"黑龙江省", "哈尔滨市", "南岗区"},
    {"安徽省", "合肥市", "蜀山区"},
    {"福建省", "厦门市", "思明区"},
    {"江西省", "南昌市", "东湖区"},
    {"山东省", "青岛市", "市南区"},
    {"河南省", "郑州市", "金水区"},
    {"河南省", "", "济源市"},
    {"湖北省", "武汉市", "洪山区"},
    {"湖北省", "", "仙桃市"},
    {"湖南省", "长沙市", "岳麓区"},
    {"海南省", "海口市", "美兰区"},
    {"海南省", "", "儋州市"},
    {"四川省", "成都市", "武侯区"},
    {"贵州省", "贵阳市", "南明区"},
    {"云南省", "昆明市", "五华区"},
    {"陕西省", "西安市", "雁塔区"},
    {"甘肃省", "", "嘉峪关市"},
    {"青海省", "西宁市", "城中区"},
    {"台湾", "台北市", "中正区"},
    {"内蒙古自治区", "呼和浩特市", "新城区"},
    {"广西壮族自治区", "南宁市", "青秀区"},
    {"西藏自治区", "拉萨市", "城关区"},
    {"宁夏回族自治区", "银川市", "兴庆区"},
    {"新疆维吾尔自治区", "乌鲁木齐市", "天山区"},
    {"新疆维吾尔自治区", "", "石河子市"},
    {"香港特别行政区", "香港岛", "中西区"},
    {"澳门特别行政区", "澳门半岛", "花地玛堂区"},
}};
constexpr std::array<const char*, 8> k_streets{"文三路",       "人民路",   "解放大道",   "中山路",
                                               "建国门外大街", "南京东路", "科技园南区", "长安街"};

struct Product {
  const char* title;
  const char* code;
  std::int64_t price_fen;
};
constexpr std::array<Product, 8> k_products{{
    {"2026秋冬新款韩版宽松毛衣女", "MY-2601", 15900},
    {"纯棉印花短袖T恤男 夏季", "TX-1188", 5900},
    {"高腰显瘦牛仔裤女 小脚", "NZ-0721", 12800},
    {"加厚羽绒服女中长款 过膝", "YR-9001", 59900},
    {"儿童卡通保暖袜子 5双装", "WZ-0035", 2990},
    {"真丝围巾女 春秋 百搭", "WJ-3320", 8850},
    {"运动休闲鞋男 透气跑步鞋", "XZ-5566", 26900},
    {"羊毛呢大衣女 双面呢", "DY-7788", 129900},
}};
constexpr std::array<const char*, 6> k_colors{"深紫色", "黑色",   "米白色",
                                              "藏青色", "酒红色", "卡其色"};
constexpr std::array<const char*, 5> k_sizes{"S", "M", "L", "XL", "XXL"};
constexpr std::array<const char*, 6> k_messages{
    "请发中通快递，谢谢😊",       "周末送货，工作日家里没人",          "送人的，不要放发货单🎁",
    "能不能今天发货？急用！！🙏", "颜色要和图片一样哦❤️", "地址写详细了，麻烦快点发"};
constexpr std::array<const char*, 4> k_memos{"赠品：袜子一双", "客户要求换成黑色", "已催付",
                                             "VIP客户 优先发"};

}  // namespace

std::int64_t SimTrade::total_fee() const {
  std::int64_t sum = 0;
  for (const auto& l : lines) sum += l.price_fen * l.num;
  return sum;
}

std::string yuan(std::int64_t fen) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(fen / 100),
                static_cast<long long>(fen % 100));
  return buf;
}

SimTrade TradeGenerator::make(std::int64_t index, UnixSeconds created) {
  std::uniform_int_distribution<int> pct(0, 99);
  SimTrade t;
  // 19 digits, beyond 2^53: a double would corrupt them.
  t.tid = 4'000'000'000'000'000'000LL + index * 7919 + 17;
  t.created = created;
  t.buyer = static_cast<int>(m_rng() % (k_surnames.size() * k_given.size() * k_nick_tails.size()));
  t.address = static_cast<int>(m_rng() % k_addresses.size());
  t.detail = std::string(k_streets[m_rng() % k_streets.size()]) +
             std::to_string(1 + m_rng() % 999) + "号" + std::to_string(1 + m_rng() % 30) + "栋" +
             std::to_string(101 + m_rng() % 2000) + "室";
  t.mobile =
      "1" + std::to_string(30 + m_rng() % 60) + std::to_string(10000000 + m_rng() % 89999999);
  t.post_fee = pct(m_rng) < 70 ? 0 : 1000;
  int lines = pct(m_rng) < 60 ? 1 : (pct(m_rng) < 75 ? 2 : 3);  // 1.5 on average
  for (int i = 0; i < lines; ++i) {
    SimLine l;
    l.oid = t.tid + 1000000 * (i + 1) + 3;
    l.product = static_cast<int>(m_rng() % k_products.size());
    l.num_iid = 520000000000LL + l.product;
    l.color = static_cast<int>(m_rng() % k_colors.size());
    l.size = static_cast<int>(m_rng() % k_sizes.size());
    l.sku_id = 3000000000000LL + l.product * 100 + l.color * 10 + l.size;
    l.price_fen = k_products[l.product].price_fen;
    l.num = pct(m_rng) < 85 ? 1 : 2;
    t.lines.push_back(l);
  }
  t.discount_fee = pct(m_rng) < 30 ? std::min<std::int64_t>(500, t.total_fee() / 10) : 0;
  if (pct(m_rng) < 25) t.buyer_message = k_messages[m_rng() % k_messages.size()];
  if (pct(m_rng) < 10) {
    t.seller_memo = k_memos[m_rng() % k_memos.size()];
    t.seller_flag = 1 + static_cast<int>(m_rng() % 5);
  }
  int roll = pct(m_rng);
  if (roll < 12) {
    t.status = "WAIT_BUYER_PAY";
  } else if (roll < 14) {
    t.status = "TRADE_CLOSED_BY_TAOBAO";
  } else {
    t.pay_time = created + 30 + static_cast<UnixSeconds>(m_rng() % 600);
    if (roll < 16)
      t.status = "TRADE_CLOSED";
    else if (roll < 18) {
      t.status = "WAIT_SELLER_SEND_GOODS";
      t.lines[0].refund_status = "WAIT_SELLER_AGREE";
    } else if (roll < 19)
      t.status = "PAID_FORBID_CONSIGN";
    else
      t.status = "WAIT_SELLER_SEND_GOODS";
  }
  t.modified = std::max(created, t.pay_time) + static_cast<UnixSeconds>(m_rng() % 60);
  return t;
}

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void TradeGenerator::append_json(std::string& out, const SimTrade& t) {
  if (!t.raw.empty()) {
    out += t.raw;
    return;
  }
  auto field = [&](std::string_view key, std::string_view value) {
    out.push_back('"');
    out += key;
    out += "\":";
    append_json_string(out, value);
    out.push_back(',');
  };
  const auto& a = k_addresses[static_cast<std::size_t>(t.address)];
  const std::size_t b = static_cast<std::size_t>(t.buyer);
  std::string name = std::string(k_surnames[b % k_surnames.size()]) +
                     k_given[(b / k_surnames.size()) % k_given.size()];
  std::string nick =
      name + k_nick_tails[(b / (k_surnames.size() * k_given.size())) % k_nick_tails.size()];
  out += "{\"tid\":";
  out += std::to_string(t.tid);
  out.push_back(',');
  field("status", t.status);
  field("type", "fixed");
  field("created", format_gmt8(t.created));
  if (t.pay_time) field("pay_time", format_gmt8(t.pay_time));
  field("modified", format_gmt8(t.modified));
  field("payment", yuan(t.payment()));
  field("total_fee", yuan(t.total_fee()));
  field("post_fee", yuan(t.post_fee));
  field("discount_fee", yuan(t.discount_fee));
  field("buyer_nick", nick);
  if (!t.buyer_message.empty()) field("buyer_message", t.buyer_message);
  if (!t.seller_memo.empty()) field("seller_memo", t.seller_memo);
  out += "\"seller_flag\":" + std::to_string(t.seller_flag) + ",";
  field("receiver_name", name);
  field("receiver_state", a.state);
  field("receiver_city", a.city);
  field("receiver_district", a.district);
  field("receiver_address", t.detail);
  field("receiver_zip", "000000");
  field("receiver_mobile", t.mobile);
  field("shipping_type", "express");
  out += "\"orders\":{\"order\":[";
  for (std::size_t i = 0; i < t.lines.size(); ++i) {
    const auto& l = t.lines[i];
    const auto& p = k_products[static_cast<std::size_t>(l.product)];
    if (i) out.push_back(',');
    out += "{\"oid\":" + std::to_string(l.oid) + ",\"num_iid\":" + std::to_string(l.num_iid) +
           ",\"sku_id\":\"" + std::to_string(l.sku_id) + "\",";
    field("outer_iid", p.code);
    field("outer_sku_id",
          std::string(p.code) + "-" + std::to_string(l.color) + std::to_string(l.size));
    field("title", p.title);
    field("sku_properties_name", std::string("颜色分类:") +
                                     k_colors[static_cast<std::size_t>(l.color)] +
                                     ";尺码:" + k_sizes[static_cast<std::size_t>(l.size)]);
    field("price", yuan(l.price_fen));
    out += "\"num\":" + std::to_string(l.num) + ",";
    field("payment", yuan(l.price_fen * l.num));
    if (!l.refund_status.empty()) field("refund_status", l.refund_status);
    out += "\"status\":";
    append_json_string(out, t.status);
    out.push_back('}');
  }
  out += "]}}";
}

}  // namespace fulfil::sim
