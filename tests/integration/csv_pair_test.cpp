// The platform's export pair (订单报表 + 宝贝报表) imported in either order on both
// backends: a trade enters only when both halves are in, and a lone half is reported.
#include <gtest/gtest.h>

#include "csvimport/csv_importer.hpp"
#include "csvimport/report_pair.hpp"
#include "store/order_queries.hpp"
#include "store/sync_state_repository.hpp"
#include "store_fixture.hpp"

using namespace fulfil;
using namespace fulfil::test;

namespace {

// As the platform writes them: headers with trailing spaces, the mobile with a leading
// apostrophe, the address on one line ending in the zip, full-width property punctuation.
const char* k_orders =
    "订单编号 ,买家会员名,买家实际支付金额,订单状态,收货人姓名,收货地址 ,联系手机,订单创建时间,"
    "订单付款时间 ,买家留言\n"
    "4000000000000000101,王芳爱购物,277.00,\"买家已付款，等待卖家发货\",王芳,"
    "浙江省 杭州市 西湖区 文三路 478 号华星时代广场(310012),'13812345678,2026-11-11 00:00:12,"
    "2026-11-11 00:00:40,\n"
    "4000000000000000202,李强_tb,59.00,\"买家已付款，等待卖家发货\",李强,"
    "上海 上海市 浦东新区 张江路 88 弄(200120),'13987654321,2026-11-11 00:01:05,"
    "2026-11-11 00:01:30,\n";
const char* k_items =
    "订单编号,标题,价格,购买数量,外部系统编号,商品属性,商家编码\n"
    "4000000000000000101,2026秋冬新款毛衣,159.00,1,MY-2601,颜色分类：深紫色；尺码：S,MY-2601-12\n"
    "4000000000000000101,真丝围巾,118.00,1,WJ-3320,颜色分类：藏青色；尺码：均码,WJ-3320-31\n"
    "4000000000000000303,袜子,9.90,1,WZ-0035,颜色分类：米白色,WZ-0035-00\n";

class CsvPairIt : public StoreTest {
 protected:
  csvimport::ImportReport import(const char* text, const char* name) {
    csvimport::CsvImporter importer(store->conn(), clock);
    auto r = importer.import_bytes(text, name, "demo");
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : csvimport::ImportReport{};
  }
  std::optional<store::OrderDetail> order(orders::Tid tid) {
    auto d = store::OrderQueries(store->conn()).get(tid);
    return d ? *d : std::nullopt;
  }
  ManualClock clock{1794326400};
};

}  // namespace

TEST_P(CsvPairIt, ATradeEntersWhenBothHalvesAreInEitherOrder) {
  auto first = import(k_orders, "订单报表.csv");
  EXPECT_EQ(first.kind, csvimport::FileKind::order_report);
  EXPECT_EQ(first.stored.inserted, 0);
  EXPECT_EQ(first.halves_waiting, 2);
  EXPECT_FALSE(order(4000000000000000101));

  auto second = import(k_items, "宝贝报表.csv");
  EXPECT_EQ(second.kind, csvimport::FileKind::item_report);
  EXPECT_EQ(second.stored.inserted, 1);
  EXPECT_EQ(second.halves_waiting, 1);  // 303 has no order half yet
  EXPECT_TRUE(second.bad_rows.empty());
  auto d = order(4000000000000000101);
  ASSERT_TRUE(d);
  const auto& t = d->trade;
  EXPECT_EQ(t.buyer_nick, "王芳爱购物");
  EXPECT_EQ(t.receiver_mobile, "13812345678");
  EXPECT_EQ(t.address.city, "杭州市");
  EXPECT_EQ(t.address.detail, "文三路 478 号华星时代广场");
  EXPECT_EQ(t.address.zip, "310012");
  EXPECT_EQ(t.payment, 27700);
  ASSERT_EQ(t.lines.size(), 2u);
  const auto& sweater = t.lines[0].outer_iid == "MY-2601" ? t.lines[0] : t.lines[1];
  EXPECT_EQ(sweater.sku_properties, "颜色分类:深紫色;尺码:S");
  EXPECT_EQ(sweater.outer_iid, "MY-2601");
  EXPECT_EQ(sweater.outer_sku_id, "MY-2601-12");
  EXPECT_EQ(d->fstate, "ready");
  // 202 still waits for its items, 303 for its order.
  csvimport::ReportPair pair(store->conn());
  auto waiting = pair.waiting("demo", 1794326400 + 1);
  ASSERT_TRUE(waiting);
  ASSERT_EQ(waiting->size(), 2u);
  EXPECT_EQ(waiting->at(0).tid, 4000000000000000202);
  EXPECT_EQ(waiting->at(0).has, "order report");
  EXPECT_EQ(waiting->at(1).has, "item report");
  EXPECT_TRUE(pair.waiting("demo", 1794326400 - 1)->empty()) << "not waiting too long yet";
}

TEST_P(CsvPairIt, ItemsFirstThenOrdersAndReimportingChangesNothing) {
  import(k_items, "items.csv");
  auto orders_file = import(k_orders, "orders.csv");
  EXPECT_EQ(orders_file.stored.inserted, 1);
  EXPECT_EQ(order(4000000000000000101)->trade.lines.size(), 2u);
  auto again_items = import(k_items, "items.csv");
  auto again_orders = import(k_orders, "orders.csv");
  EXPECT_EQ(again_items.stored.inserted + again_orders.stored.inserted, 0);
  EXPECT_EQ(order(4000000000000000101)->trade.lines.size(), 2u) << "lines are not doubled";
  // An import (by hand or from the inbox) shows in the shop's figures: one trade stored.
  auto state = store::SyncStateRepository(store->conn()).get("demo");
  ASSERT_TRUE(state && *state);
  EXPECT_EQ((*state)->trades_stored, 1);
  EXPECT_EQ((*state)->last_ok_at, clock.now());
}

TEST_P(CsvPairIt, BadRowsInAHalfAreReportedWithTheirLines) {
  import(k_orders, "orders.csv");
  auto r =
      import("订单编号,标题,价格,购买数量\n4000000000000000101,毛衣,15.999,1\nabc,袜子,9.90,1\n",
             "items.csv");
  ASSERT_EQ(r.bad_rows.size(), 2u);
  EXPECT_EQ(r.bad_rows[0].line, 2);
  EXPECT_NE(r.bad_rows[0].reason.find("price"), std::string::npos) << r.bad_rows[0].reason;
  EXPECT_EQ(r.bad_rows[1].line, 3);
  EXPECT_FALSE(order(4000000000000000101));
}

// Issue 21, items 5 and 6: a CR-only file imports its rows, a pasted export imports a
// repeated row once, and a file that holds no rows is refused instead of reported done.
TEST_P(CsvPairIt, Defect5_6_MacLineEndsAndPastedExportsImportAndAnEmptyFileIsRefused) {
  const std::string header =
      "tid,status,created,pay_time,buyer_nick,receiver_name,receiver_state,receiver_city,"
      "receiver_district,receiver_address,payment,oid,title,price,num";
  const std::string row =
      "4000000000000000707,WAIT_SELLER_SEND_GOODS,2026-11-11 00:00:00,2026-11-11 00:01:00,nick,"
      "张三,浙江省,杭州市,西湖区,文三路 1 号,10.00,4000000000000007071,毛衣,10.00,1";
  auto mac = import((header + "\r" + row + "\r").c_str(), "mac.csv");
  EXPECT_EQ(mac.rows, 1);
  EXPECT_EQ(mac.stored.inserted, 1);
  auto pasted =
      import((header + "\n" + row + "\n" + header + "\n" + row + "\n").c_str(), "two.csv");
  EXPECT_EQ(pasted.stored.inserted, 0);
  ASSERT_EQ(pasted.bad_rows.size(), 1u) << "only the second header line";
  EXPECT_EQ(pasted.bad_rows[0].line, 3);
  csvimport::CsvImporter importer(store->conn(), clock);
  auto empty = importer.import_bytes(header + "\n", "empty.csv", "demo");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(empty.error().message.find("no order rows"), std::string::npos);
}

FULFIL_ON_BOTH_BACKENDS(CsvPairIt);
