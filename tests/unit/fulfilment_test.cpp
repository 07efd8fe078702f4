#include "orders/fulfilment.hpp"

#include <gtest/gtest.h>

using namespace fulfil::orders;

namespace {
Trade trade(std::string status, fulfil::UnixSeconds modified, std::string refund = "") {
  Trade t;
  t.tid = 4000000000000000017;
  t.status = std::move(status);
  t.modified = modified;
  TradeLine l;
  l.oid = 1;
  l.refund_status = std::move(refund);
  t.lines.push_back(l);
  return t;
}
StoredState stored(std::string status, std::string fstate, fulfil::UnixSeconds modified,
                   bool serial) {
  return {std::move(status), std::move(fstate), modified, serial};
}
bool has_event(const Transition& t, std::string_view kind) {
  for (const auto& e : t.events)
    if (e.kind == kind) return true;
  return false;
}
}  // namespace

TEST(Fulfilment, NewPaidTradeEntersWithASerial) {
  auto t = decide(trade("WAIT_SELLER_SEND_GOODS", 100), std::nullopt);
  EXPECT_EQ(t.action, Transition::Action::insert);
  EXPECT_EQ(t.fstate, fstate::ready);
  EXPECT_TRUE(t.assign_serial);
  EXPECT_TRUE(has_event(t, "arrived"));
}

TEST(Fulfilment, UnpaidIsKeptButDoesNotEnter) {
  auto t = decide(trade("WAIT_BUYER_PAY", 100), std::nullopt);
  EXPECT_EQ(t.fstate, fstate::awaiting_payment);
  EXPECT_FALSE(t.assign_serial);
}

TEST(Fulfilment, PaymentLaterEntersThen) {
  auto t = decide(trade("WAIT_SELLER_SEND_GOODS", 200),
                  stored("WAIT_BUYER_PAY", "awaiting_payment", 100, false));
  EXPECT_EQ(t.action, Transition::Action::update);
  EXPECT_EQ(t.fstate, fstate::ready);
  EXPECT_TRUE(t.assign_serial);
  EXPECT_TRUE(has_event(t, "status"));
  EXPECT_TRUE(has_event(t, "fstate"));
}

TEST(Fulfilment, OlderModifiedIsSkipped) {
  EXPECT_EQ(decide(trade("TRADE_CLOSED", 99), stored("WAIT_SELLER_SEND_GOODS", "ready", 100, true))
                .action,
            Transition::Action::skip);
}

TEST(Fulfilment, EqualModifiedSkipsTheSameVersionButTakesAChangedOne) {
  // Two changes within one second share `modified`: the content decides.
  auto same = trade("WAIT_SELLER_SEND_GOODS", 100);
  auto s = stored("WAIT_SELLER_SEND_GOODS", "ready", 100, true);
  s.digest = content_digest(same);
  EXPECT_EQ(decide(same, s).action, Transition::Action::skip);
  auto changed = trade("TRADE_CLOSED", 100);
  auto t = decide(changed, s);
  EXPECT_EQ(t.action, Transition::Action::update);
  EXPECT_EQ(t.fstate, fstate::intercepted);
}

TEST(Fulfilment, DigestSeesEveryPlatformField) {
  auto a = trade("WAIT_SELLER_SEND_GOODS", 100);
  auto b = a;
  b.seller_memo = "改了备注";
  auto c = a;
  c.lines[0].refund_status = "WAIT_SELLER_AGREE";
  EXPECT_NE(content_digest(a), content_digest(b));
  EXPECT_NE(content_digest(a), content_digest(c));
  EXPECT_EQ(content_digest(a), content_digest(trade("WAIT_SELLER_SEND_GOODS", 100)));
  EXPECT_GE(content_digest(a), 0);
}

TEST(Fulfilment, ClosedAfterEntryIsIntercepted) {
  auto t = decide(trade("TRADE_CLOSED", 200), stored("WAIT_SELLER_SEND_GOODS", "ready", 100, true));
  EXPECT_EQ(t.fstate, fstate::intercepted);
  EXPECT_NE(t.intercept_reason.find("TRADE_CLOSED"), std::string::npos);
  EXPECT_FALSE(t.assign_serial);  // it already has one
  EXPECT_TRUE(has_event(t, "intercepted"));
}

TEST(Fulfilment, RefundAfterEntryIsIntercepted) {
  auto t = decide(trade("WAIT_SELLER_SEND_GOODS", 200, "WAIT_SELLER_AGREE"),
                  stored("WAIT_SELLER_SEND_GOODS", "ready", 100, true));
  EXPECT_EQ(t.fstate, fstate::intercepted);
  EXPECT_NE(t.intercept_reason.find("WAIT_SELLER_AGREE"), std::string::npos);
}

TEST(Fulfilment, RefundThatWasRefusedDoesNotIntercept) {
  auto t = decide(trade("WAIT_SELLER_SEND_GOODS", 200, "SELLER_REFUSE_BUYER"),
                  stored("WAIT_SELLER_SEND_GOODS", "ready", 100, true));
  EXPECT_EQ(t.fstate, fstate::ready);
}

TEST(Fulfilment, ArrivingWithAnOpenRefundIsHeldForAPerson) {
  auto t = decide(trade("WAIT_SELLER_SEND_GOODS", 100, "WAIT_SELLER_AGREE"), std::nullopt);
  EXPECT_EQ(t.fstate, fstate::intercepted);
  EXPECT_TRUE(t.assign_serial);
}

TEST(Fulfilment, ClosedBeforeEntryIsJustClosed) {
  auto t = decide(trade("TRADE_CLOSED_BY_TAOBAO", 200),
                  stored("WAIT_BUYER_PAY", "awaiting_payment", 100, false));
  EXPECT_EQ(t.fstate, fstate::closed);
  EXPECT_FALSE(t.assign_serial);
}

TEST(Fulfilment, InterceptedStaysIntercepted) {
  auto t = decide(trade("WAIT_SELLER_SEND_GOODS", 300),
                  stored("TRADE_CLOSED", "intercepted", 200, true));
  EXPECT_EQ(t.fstate, fstate::intercepted);
}

TEST(Fulfilment, WarehouseStatesAreNotMovedByThePlatform) {
  // Review and later stages own the state; a memo change on the platform does not undo them.
  auto t = decide(trade("WAIT_SELLER_SEND_GOODS", 300),
                  stored("WAIT_SELLER_SEND_GOODS", "reviewing", 200, true));
  EXPECT_EQ(t.fstate, "reviewing");
}

TEST(Fulfilment, HoldAndUnknownStatuses) {
  EXPECT_EQ(decide(trade("PAID_FORBID_CONSIGN", 1), std::nullopt).fstate, fstate::on_hold);
  auto t = decide(trade("SOMETHING_NEW", 1), std::nullopt);
  EXPECT_EQ(t.fstate, fstate::on_hold);
  EXPECT_TRUE(has_event(t, "held"));
}
