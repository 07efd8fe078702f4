// Templates staff write: label layouts (TOML: fields, boxes, barcodes, sizes) and reminder
// texts (placeholders, the SMS length and name rules), each checked when saved.
#include "fuzz_support.hpp"
#include "layout/label_template.hpp"
#include "reminders/message_template.hpp"

using namespace fulfil;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Input in(data, size);
  if (in.byte() % 2 == 0) {
    (void)printers::parse_template(in.rest(), "fuzz.toml");
    return 0;
  }
  const auto sign = in.part('\n');
  const reminders::Values longest{
      {"顾客姓名", "欧阳娜娜娜"},     {"商品名称", "羊毛衫"}, {"店铺名称", "韩都衣舍旗舰店"},
      {"订单ID", "3021000000000001"}, {"金额", "199.00"},     {"剩余天数", "2"}};
  (void)reminders::check_sms_template(in.rest(), sign, longest);
  (void)reminders::fill(in.rest(), longest);
  return 0;
}
