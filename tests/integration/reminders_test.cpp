// Payment reminders against a real store (SQLite and PostgreSQL), the SMS gateway simulator
// and the TOP simulator: intake and merging, the planner's tasks, outcomes and their
// write-back, texts sent once through lost answers, attribution and the report arithmetic.
#include <gtest/gtest.h>

#include "common/timeutil.hpp"
#include "fault_proxy.hpp"
#include "outbound/curl_multi_client.hpp"
#include "platform/top_client.hpp"
#include "reminders/buyer_list.hpp"
#include "reminders/intake.hpp"
#include "reminders/ledger.hpp"
#include "reminders/planning.hpp"
#include "reminders/reminder_queries.hpp"
#include "reminders/sms_sender.hpp"
#include "reminders/task_desk.hpp"
#include "reminders/template_store.hpp"
#include "reminders/writeback.hpp"
#include "review_fixture.hpp"
#include "sms_simulator.hpp"
#include "store_fixture.hpp"
#include "top_simulator.hpp"

namespace fulfil::test {
namespace {

using namespace reminders;

const UnixSeconds k_t0 = *parse_gmt8("2026-11-11 10:00:00");

orders::Trade unpaid(orders::Tid tid, UnixSeconds created, const std::string& buyer, Fen fen,
                     const std::string& mobile = "13800000000") {
  auto t = paid_trade(tid, created + 30, buyer);
  t.status = "WAIT_BUYER_PAY";
  t.pay_time = std::nullopt;
  t.created = created;
  t.modified = created;
  t.receiver_mobile = mobile;
  t.lines[0].status = t.status;
  t.lines[0].price = fen;
  t.lines[0].payment = fen;
  t.total_fee = fen;
  t.payment = fen;
  return t;
}

orders::Trade paid_now(orders::Trade t, UnixSeconds at) {
  t.status = "WAIT_SELLER_SEND_GOODS";
  t.lines[0].status = t.status;
  t.pay_time = at;
  t.modified = at;
  return t;
}

class RemindersIt : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!store) return;
    settings.sms.enabled = true;
    settings.sms.access_key_id = "key";
    settings.sms.access_key_secret = "secret";
    settings.sms.sign_name = "某某旗舰店";
    settings.sms.template_code = "SMS_1";
    sms.start();
    settings.sms.url = sms.url();
    ASSERT_TRUE(TemplateStore(conn(), clock).seed_builtins());
  }
  store::Connection& conn() { return store->conn(); }
  void put(const std::vector<orders::Trade>& trades) { store_trades(conn(), clock, trades); }
  IntakeCounts take() {
    auto r = Intake(conn(), clock, settings).take_unpaid();
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(IntakeCounts{});
  }
  PlanCounts plan() {
    auto r = Planning(conn(), clock, settings).plan();
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(PlanCounts{});
  }
  SendCounts send() {
    SmsClient client(http, clock, settings.sms);
    auto r = SmsSender(conn(), clock, settings, client).run();
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(SendCounts{});
  }
  std::int64_t reminder_of(const std::string& buyer) {
    return store->scalar("SELECT id FROM reminders WHERE buyer_nick = '" + buyer + "'");
  }
  ReminderDetail detail(std::int64_t id) { return *ReminderQueries(conn()).get(id); }
  bool noted(std::int64_t id, const std::string& part) {
    for (const auto& [at, text] : detail(id).notes)
      if (text.find(part) != std::string::npos) return true;
    return false;
  }
  std::vector<Task> tasks(Channel ch) { return *TaskDesk(conn(), clock, settings).due(ch, 100); }

  ManualClock clock{k_t0};
  ReminderSettings settings;
  sim::SmsSimulator sms{"key", "secret", {"某某旗舰店"}, {"SMS_1"}, [this] { return clock.now(); }};
  outbound::OwnedHttpClient http{outbound::HttpSettings{
      .total_timeout = std::chrono::milliseconds(2000), .breaker = {.failures_to_open = 1000}}};
};

TEST_P(RemindersIt, ABuyersUnpaidTradesAreOneReminderAndSensitiveBuyersAreLeftOut) {
  ASSERT_TRUE(
      BuyerList(conn(), clock).set({"demo", "敏感买家", "投诉过", "", true, false}, "boss"));
  put({unpaid(1001, k_t0, "张三", 10000), unpaid(1002, k_t0 + 60, "张三", 25000),
       unpaid(1003, k_t0, "李四", 60000), unpaid(1004, k_t0, "敏感买家", 5000),
       paid_trade(1005, k_t0, "王五")});
  const auto first = take();
  EXPECT_EQ(first.trades, 4);
  EXPECT_EQ(first.reminders, 3);
  EXPECT_EQ(first.excluded, 1);
  const auto zhang = detail(reminder_of("张三"));
  EXPECT_EQ(zhang.head.unpaid, 35000);
  EXPECT_EQ(zhang.head.orders, 2);
  EXPECT_EQ(zhang.tids, (std::vector<std::int64_t>{1001, 1002}));
  EXPECT_FALSE(zhang.big);
  EXPECT_TRUE(detail(reminder_of("李四")).big);  // 600 yuan >= 500
  EXPECT_EQ(detail(reminder_of("敏感买家")).head.state, "excluded");
  EXPECT_TRUE(noted(reminder_of("敏感买家"), "sensitive list"));

  EXPECT_EQ(take().trades, 0);  // nothing taken twice
  put({unpaid(1006, k_t0 + 120, "张三", 10000)});
  EXPECT_EQ(take().reminders, 0);
  EXPECT_EQ(detail(reminder_of("张三")).head.unpaid, 45000);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM reminder_trades"), 5);
}

TEST_P(RemindersIt, TasksComeInTheirWindowsAndOutcomesAreRecordedOnce) {
  put({unpaid(2001, k_t0, "张三", 10000), unpaid(2002, k_t0, "李四", 60000),
       unpaid(2003, k_t0, "赵六", 30000, "")});
  take();
  clock.set(k_t0 + 5 * 60);
  EXPECT_EQ(plan().im, 0);  // not yet: 10 minutes after placing
  clock.set(k_t0 + 11 * 60);
  EXPECT_EQ(plan().im, 3);
  auto im = tasks(Channel::im);
  ASSERT_EQ(im.size(), 3u);
  EXPECT_EQ(im[0].buyer_nick, "李四");  // big first
  EXPECT_NE(im[0].script.find("李四"), std::string::npos);
  EXPECT_EQ(im[0].due_until, *parse_gmt8("2026-11-11 12:00:00"));  // morning: before noon

  TaskDesk desk(conn(), clock, settings);
  const auto zhang =
      std::find_if(im.begin(), im.end(), [](auto& t) { return t.buyer_nick == "张三"; });
  EXPECT_EQ(desk.record(zhang->id, {Outcome::no_answer, Reason::none, ""}, "alice").error().kind,
            ErrorKind::invalid_input);  // not an IM outcome
  ASSERT_TRUE(desk.record(zhang->id, {Outcome::replied, Reason::price, "嫌邮费贵"}, "alice"));
  EXPECT_EQ(desk.record(zhang->id, {Outcome::replied, Reason::none, ""}, "alice").error().kind,
            ErrorKind::conflict);
  EXPECT_EQ(desk.record(999999, {Outcome::replied, Reason::none, ""}, "alice").error().kind,
            ErrorKind::not_found);
  const auto z = detail(zhang->reminder_id);
  EXPECT_EQ(z.head.reason, "price");
  EXPECT_TRUE(z.head.responded);
  EXPECT_EQ(z.head.staff, "alice");
  EXPECT_EQ(z.head.reminded_at, k_t0 + 11 * 60);
  ASSERT_EQ(z.writebacks.size(), 1u);
  EXPECT_EQ(z.writebacks[0].flag, 3);
  EXPECT_NE(z.writebacks[0].memo.find("旺旺 alice: 已回复"), std::string::npos);

  // Nobody worked the others: they expire at noon; the next day brings a call for the big
  // one (at the time of day it was placed) and nothing for the buyer without a number.
  clock.set(*parse_gmt8("2026-11-11 12:00:00"));
  EXPECT_EQ(plan().expired, 2);
  clock.set(k_t0 + 86400);
  const auto next = plan();
  EXPECT_EQ(next.phone, 1);
  auto calls = tasks(Channel::phone);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].buyer_nick, "李四");
  EXPECT_EQ(calls[0].due_from, k_t0 + 86400);
  EXPECT_NE(calls[0].script.find("600.00"), std::string::npos);
  const auto zhao = reminder_of("赵六");
  EXPECT_TRUE(noted(zhao, "no phone number"));
  EXPECT_TRUE(noted(zhao, "no mobile number"));

  // An unanswered call is tried in another slot: 3 hours on is lunch, so at 14:00.
  ASSERT_TRUE(desk.record(calls[0].id, {Outcome::no_answer, Reason::none, ""}, "bob"));
  clock.advance(60);
  EXPECT_EQ(plan().phone, 0);
  clock.set(*parse_gmt8("2026-11-12 14:00:00"));
  EXPECT_EQ(plan().phone, 1);
  calls = tasks(Channel::phone);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].due_from, *parse_gmt8("2026-11-12 14:00:00"));
  // Reached now; a big order is not called twice, so a later look plans nothing more.
  ASSERT_TRUE(desk.record(calls[0].id, {Outcome::will_pay, Reason::operation, ""}, "bob"));
  clock.advance(3600);
  const auto after = plan();
  EXPECT_EQ(after.phone + after.sms + after.im, 0);
  EXPECT_TRUE(noted(calls[0].reminder_id, "SMS skipped"));
}

TEST_P(RemindersIt, ATextIsSentOnceThroughALostAnswerAndFailuresAreNamed) {
  settings.phone_from = 1'000'000'00;  // texts for everyone here
  put({unpaid(3001, k_t0, "张三", 10000), unpaid(3002, k_t0, "李四", 20000, "13900000001")});
  take();
  clock.set(k_t0 + 30 * 3600);  // 11-12 16:00: in the texts' last two days, IM long past
  const auto p = plan();
  EXPECT_EQ(p.sms, 2);
  EXPECT_EQ(p.im, 0);
  sms.set_faults({.drop_after_every = 1});  // every answer lost after the gateway took it
  auto first = send();
  EXPECT_EQ(first.sent, 0);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM reminder_attempts WHERE state = 'sending'"), 2);
  EXPECT_EQ(sms.messages().size(), 2u);
  sms.set_faults({});
  clock.advance(60);
  auto second = send();
  EXPECT_EQ(second.settled, 2);
  EXPECT_EQ(second.sent, 0);
  ASSERT_EQ(sms.messages().size(), 2u);  // found by its key, not sent again
  const auto zhang = detail(reminder_of("张三"));
  ASSERT_EQ(zhang.attempts.size(), 1u);
  EXPECT_EQ(zhang.attempts[0].state, "sent");
  EXPECT_EQ(zhang.attempts[0].idem_key, sms.messages()[0].out_id == zhang.attempts[0].idem_key
                                            ? sms.messages()[0].out_id
                                            : sms.messages()[1].out_id);
  EXPECT_EQ(zhang.attempts[0].cost, 5);
  EXPECT_EQ(zhang.head.staff, "sms");
  EXPECT_NE(sms.messages()[0].template_param.find("\"name\""), std::string::npos);
  // The buyer texted is not phoned within 3 days.
  settings.phone_from = 0;
  clock.advance(3600);
  plan();
  EXPECT_EQ(tasks(Channel::phone).size(), 0u);

  // A refused account stops the texts and says so; nothing is marked sent.
  put({unpaid(3003, k_t0 + 30 * 3600, "王五", 10000, "13900000002")});
  take();
  settings.phone_from = 1'000'000'00;
  clock.set(k_t0 + 30 * 3600 + 25 * 3600);
  EXPECT_EQ(plan().sms, 1);
  settings.sms.access_key_secret = "wrong";
  auto refused = send();
  EXPECT_NE(refused.alert.find("SignatureDoesNotMatch"), std::string::npos);
  EXPECT_EQ(store->text("SELECT state FROM reminder_attempts WHERE idem_key LIKE 'r" +
                        std::to_string(reminder_of("王五")) + "-%'"),
            "due");
  settings.sms.access_key_secret = "secret";
  clock.advance(3600);
  EXPECT_EQ(send().sent, 1);
  EXPECT_EQ(sms.messages().size(), 3u);
}

// Two buyers share a number: the gateway's flow control refuses the second text within the
// minute; it goes a little later, inside its window. An answer cut short is settled by key.
TEST_P(RemindersIt, FlowControlAndACutAnswerAreRetriedWithoutASecondText) {
  settings.phone_from = 1'000'000'00;
  put({unpaid(5001, k_t0, "甲", 10000, "13900000021"),
       unpaid(5002, k_t0, "乙", 10000, "13900000021"),
       unpaid(5003, k_t0, "丙", 10000, "13900000022")});
  take();
  clock.set(k_t0 + 30 * 3600);
  EXPECT_EQ(plan().sms, 3);
  sms.set_faults({.truncate_every = 2});  // the second text's answer (丙, 乙, 甲 go in order)
  const auto first = send();
  EXPECT_EQ(first.sent, 1);
  EXPECT_EQ(first.retry, 1);  // isv.BUSINESS_LIMIT_CONTROL for the shared number
  EXPECT_NE(store->text("SELECT error FROM reminder_attempts WHERE state = 'due'")
                .find("isv.BUSINESS_LIMIT_CONTROL"),
            std::string::npos);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM reminder_attempts WHERE state = 'sending'"), 1);
  sms.set_faults({});
  clock.advance(30);
  const auto soon = send();
  EXPECT_EQ(soon.settled, 1);  // the cut answer: found at the gateway by its key
  EXPECT_EQ(soon.sent, 0);     // the refused one waits its backoff (and the number's minute)
  clock.advance(120);
  EXPECT_EQ(send().sent, 1);
  EXPECT_EQ(sms.messages().size(), 3u);
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM reminder_attempts WHERE state = 'sent'"), 3);
}

TEST_P(RemindersIt, APaymentSoonAfterAReminderIsRecoveredAndTheReportAddsUp) {
  settings.phone_from = 1'000'000'00;
  const auto a = unpaid(4001, k_t0, "甲", 10000, "13900000011");
  const auto b = unpaid(4002, k_t0, "乙", 30000, "13900000012");
  const auto c = unpaid(4003, k_t0, "丙", 20000, "13900000013");
  put({a, b, c});
  take();
  clock.set(k_t0 + 30 * 3600);
  plan();
  EXPECT_EQ(send().sent, 3);
  const UnixSeconds texted = clock.now();
  // 甲 pays 2 hours after the text, 乙 4 days after (past the 72-hour window), 丙 never.
  clock.set(texted + 2 * 3600);
  put({paid_now(a, clock.now())});
  put({paid_now(b, texted + 4 * 86400)});
  auto closed = c;
  closed.status = "TRADE_CLOSED_BY_TAOBAO";
  closed.lines[0].status = closed.status;
  closed.modified = k_t0 + 72 * 3600;
  put({closed});
  clock.set(texted + 5 * 86400);
  auto settled = Intake(conn(), clock, settings).settle();
  ASSERT_TRUE(settled);
  EXPECT_EQ(settled->paid, 2);
  EXPECT_EQ(settled->recovered, 1);
  EXPECT_EQ(settled->closed, 1);
  EXPECT_EQ(detail(reminder_of("甲")).head.recovered, 10000);
  EXPECT_EQ(detail(reminder_of("甲")).head.channel, "sms");
  EXPECT_EQ(detail(reminder_of("乙")).head.recovered, 0);
  EXPECT_EQ(detail(reminder_of("乙")).head.state, "paid");
  EXPECT_EQ(detail(reminder_of("丙")).head.state, "closed");

  auto report = Ledger(conn(), settings).report(k_t0 - 86400, k_t0 + 10 * 86400);
  ASSERT_TRUE(report);
  ASSERT_EQ(report->days.size(), 1u);
  const auto& day = report->days[0].second;
  EXPECT_EQ(report->days[0].first, "2026-11-12");
  EXPECT_EQ(day.customers, 3);
  EXPECT_EQ(day.unpaid, 60000);
  EXPECT_EQ(day.recovered, 10000);
  EXPECT_EQ(day.customers_paid, 1);
  EXPECT_EQ(percent_text(day.success_rate()), "16.67%");  // 100 / 600
  EXPECT_EQ(day.cost, 15);                                // three one-part texts at 5 fen
  ASSERT_EQ(report->channels.size(), 1u);
  EXPECT_EQ(report->channels[0].recovered, 10000);
  EXPECT_EQ(percent_text(report->channels[0].roi()), "66666.67%");  // 100 yuan for 0.15
}

TEST_P(RemindersIt, OutcomesAreWrittenBackToThePlatformAndRefusalsKept) {
  sim::TopSimSettings ss;
  ss.trades = 300;
  ss.span_end = SystemClock().now() - 600;
  ss.span_start = ss.span_end - 6 * 3600;
  sim::TopSimulator top(ss);
  top.start();
  const auto unpaid_tids = top.tids_in("WAIT_BUYER_PAY");
  const auto paid_tids = top.tids_in("WAIT_SELLER_SEND_GOODS");
  ASSERT_GE(unpaid_tids.size(), 3u);
  ASSERT_GE(paid_tids.size(), 1u);
  put({unpaid(unpaid_tids[0], k_t0, "甲", 10000), unpaid(unpaid_tids[1], k_t0, "乙", 10000),
       unpaid(unpaid_tids[2], k_t0, "丙", 10000), unpaid(paid_tids[0], k_t0, "丁", 10000)});
  take();
  clock.set(k_t0 + 11 * 60);
  plan();
  TaskDesk desk(conn(), clock, settings);
  for (const auto& t : tasks(Channel::im)) {
    const Outcome o = t.buyer_nick == "甲"   ? Outcome::sent
                      : t.buyer_nick == "乙" ? Outcome::angry
                                             : Outcome::wants_close;
    ASSERT_TRUE(desk.record(t.id, {o, Reason::none, ""}, "alice"));
  }
  SystemClock wall;
  platform::TopClient client(http, wall, {top.base_url(), "12345678", "sim-secret", "sim-session"},
                             "demo");
  auto run = [&] {
    return *Writebacks(conn(), clock, [&](const std::string& shop) {
              return shop == "demo" ? &client : nullptr;
            }).run();
  };
  const auto done = run();
  EXPECT_EQ(done.refused, 1);  // 丁's trade is paid on the platform: it cannot be closed
  const auto memos = top.memos();
  ASSERT_TRUE(memos.contains(unpaid_tids[0]));
  EXPECT_EQ(memos.at(unpaid_tids[0]).flag, 3);  // green: reminded
  EXPECT_NE(memos.at(unpaid_tids[0]).memo.find("[催付 11-11 10:11 旺旺 alice: 已留言]"),
            std::string::npos);
  EXPECT_EQ(memos.at(unpaid_tids[1]).flag, 2);  // yellow: do not remind
  EXPECT_EQ(top.closed().at(unpaid_tids[2]), "买家不想买了");
  EXPECT_EQ(top.status_of(unpaid_tids[2]), "TRADE_CLOSED_BY_TAOBAO");
  const auto ding = detail(reminder_of("丁"));
  ASSERT_EQ(ding.writebacks.size(), 2u);  // the memo of the call, and the close
  EXPECT_EQ(ding.writebacks[0].state, "done");
  EXPECT_EQ(ding.writebacks[1].kind, "close");
  EXPECT_EQ(ding.writebacks[1].state, "refused");
  EXPECT_NE(ding.writebacks[1].error.find("isv.trade-status-error"), std::string::npos);
  // Nothing is written twice; the angry buyer is never reminded again.
  EXPECT_EQ(run().done, 0);
  EXPECT_EQ(top.memos().at(unpaid_tids[0]).updates, 1);
  auto listed = BuyerList(conn(), clock).list();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE((*listed)[0].never_again);
  EXPECT_EQ((*listed)[0].buyer_nick, "乙");
}

TEST_P(RemindersIt, TextsAreCheckedWhenSaved) {
  TemplateStore t(conn(), clock);
  auto list = t.list();
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), builtin_templates().size());
  auto longest = t.longest_values();
  ASSERT_TRUE(longest);
  for (const auto& b : builtin_templates())
    if (b.channel == "sms")
      EXPECT_TRUE(check_sms_template(b.body, "某某旗舰店", *longest)) << b.name;
  auto too_long =
      t.save("sms-x", "sms",
             "{$顾客姓名$}您好，您在本店拍下的{$商品名称$}还未付款哦，付款后我们会尽快为"
             "您安排发货，如有问题请随时联系客服，祝您生活愉快，谢谢！",
             "某某旗舰店", "boss");
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().message.find("characters with 【某某旗舰店】"), std::string::npos);
  auto unknown = t.save("phone-2", "phone", "您好{$买家昵称$}", "某某旗舰店", "boss");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("unknown placeholder {$买家昵称$}"), std::string::npos);
  EXPECT_FALSE(t.save("Bad Name", "sms", "x", "某某旗舰店", "boss"));
  ASSERT_TRUE(
      t.save("sms-2", "sms", "{$顾客姓名$}：您拍的{$商品名称$}还没付款哦", "某某旗舰店", "boss"));
  EXPECT_EQ(**t.body("sms-2"), "{$顾客姓名$}：您拍的{$商品名称$}还没付款哦");
}

// The gateway behind the loopback fault proxy: each fault strikes one pass's first request;
// every text still goes exactly once (a lost answer is found at the gateway by its key).
TEST_P(RemindersIt, EachTextGoesOnceThroughEveryFaultOfTheLink) {
  sim::FaultProxy proxy("127.0.0.1", sms.port());
  proxy.set_drip_interval(std::chrono::milliseconds(100));
  settings.sms.url = "http://" + proxy.address() + "/";
  settings.phone_from = 1'000'000'00;
  std::vector<orders::Trade> trades;
  for (int i = 0; i < 6; ++i)
    trades.push_back(unpaid(6001 + i, k_t0, "买家" + std::to_string(i), 10000,
                            "1390000010" + std::to_string(i)));
  put(trades);
  take();
  clock.set(k_t0 + 30 * 3600);
  ASSERT_EQ(plan().sms, 6);
  for (sim::Fault f : sim::k_all_faults) {
    proxy.inject(f, 1);
    if (f == sim::Fault::stall) proxy.inject(f, 3);  // the client's own resends stall too
    send();
    clock.advance(300);  // past the backoff of a text refused meanwhile
  }
  EXPECT_GE(proxy.faults_struck(), 5);
  proxy.clear();
  for (int pass = 0; pass < 4; ++pass) {
    send();
    clock.advance(300);
  }
  EXPECT_EQ(store->scalar("SELECT COUNT(*) FROM reminder_attempts WHERE state IN ('sent', "
                          "'delivered')"),
            6);  // delivered: its receipt was read
  std::set<std::string> keys;
  for (const auto& m : sms.messages()) keys.insert(m.out_id);
  EXPECT_EQ(sms.messages().size(), 6u) << "a text went twice";
  EXPECT_EQ(keys.size(), 6u);
  EXPECT_EQ(sms.repeated_nonces(), 0) << "a resend must be signed afresh";
}

FULFIL_ON_BOTH_BACKENDS(RemindersIt);

}  // namespace
}  // namespace fulfil::test
