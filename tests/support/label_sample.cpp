#include "label_sample.hpp"

#include "test_paths.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fulfil::test {

namespace {
std::string yuan(long fen) {
  return std::to_string(fen / 100) + "." + (fen % 100 < 10 ? "0" : "") + std::to_string(fen % 100);
}
}  // namespace

printers::LabelData sample_label(int lines) {
  printers::LabelData d;
  d.fields = {
      {"parcel_id", "1042"},
      {"serial", "D11110000042"},
      {"tids", "3861527740223344, 3861527740223345"},
      {"shop", "小熊服饰旗舰店"},
      {"warehouse", "杭州余杭一号仓"},
      {"courier_code", "SF"},
      {"courier_name", "顺丰速运"},
      {"waybill_no", "SF1234567890123"},
      {"sort_code", "755W-粤B 福田"},
      {"sender_name", "小熊服饰"},
      {"sender_phone", "0571-88886666"},
      {"sender_address", "浙江省杭州市余杭区仓前街道文一西路 1218 号 5 号库"},
      {"receiver_name", "欧阳晓明"},
      {"receiver_phone", "13800138000"},
      {"receiver_address",
       "广东省深圳市福田区华强北街道振兴路华强北商业步行街赛格广场东座 28 楼 2806 室"
       "（请放前台，周末不在家请放快递柜，谢谢！）"},
      {"receiver_province", "广东省"},
      {"receiver_city", "深圳市"},
      {"buyer_nick", "晓明爱买买买"},
      {"buyer_message", "请尽快发货，送女朋友的生日礼物🎁谢谢"},
      {"seller_memo", "赠品：袜子一双"},
      {"item_count", "0"},
      {"goods_total", "0.00"},
      {"post_fee", "0.00"},
      {"discount", "10.00"},
      {"payment", "0.00"},
      {"pay_time", "2026-11-11 00:00:07"},
      {"print_time", "2026-11-11 09:30"},
      {"return_name", "小熊服饰售后"},
      {"return_phone", "0571-88886667"},
      {"return_address", "浙江省杭州市余杭区仓前街道文一西路 1218 号 5 号库 退货组"},
      {"form_code", "R1042"},
  };
  static const char* k_titles[] = {"加绒连帽卫衣", "高腰阔腿牛仔裤", "羊毛混纺围巾",
                                   "纯棉短袜五双装"};
  static const char* k_colours[] = {"深紫色", "雾霾蓝", "燕麦色", "黑色"};
  static const char* k_sizes[] = {"S", "M", "L", "XL"};
  long goods = 0;
  int pieces = 0;
  std::string summary;
  for (int i = 0; i < lines; ++i) {
    const int qty = 1 + i % 3;
    const long price = 5900 + 1000 * (i % 4);
    std::string title = k_titles[i % 4];
    std::string spec = std::string("颜色分类:") + k_colours[i % 4] + ";尺码:" + k_sizes[i % 4];
    d.lines.push_back({{"no", std::to_string(i + 1)},
                       {"sku", "XB-" + std::to_string(2026100 + i)},
                       {"title", title},
                       {"spec", spec},
                       {"item", title + " " + spec},
                       {"qty", std::to_string(qty)},
                       {"price", yuan(price)},
                       {"amount", yuan(price * qty)}});
    goods += price * qty;
    pieces += qty;
    summary += (summary.empty() ? "" : "，") + std::string("XB-") + std::to_string(2026100 + i) +
               "×" + std::to_string(qty);
  }
  d.fields["item_summary"] = summary;
  d.fields["item_count"] = std::to_string(pieces);
  d.fields["goods_total"] = yuan(goods);
  d.fields["payment"] = yuan(goods - 1000);
  return d;
}

printers::LabelTemplate source_template(const std::string& file_name) {
  const std::string path = std::string(FULFIL_SOURCE_DIR) + "/config/labels/" + file_name;
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto t = printers::parse_template(text.str(), file_name);
  if (!t) throw std::runtime_error(t.error().message);
  return *t;
}

}  // namespace fulfil::test
