#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "common/money.hpp"

namespace fulfil::reminders {

enum class Channel { im, sms, phone };
std::string_view to_string(Channel c);
// The channel as stored and in the API: "im", "sms", "phone".
std::string_view channel_key(Channel c);
std::optional<Channel> parse_channel(std::string_view key);

// What is known of a buyer in one shop when a reminder is planned.
struct BuyerHistory {
  bool sensitive = false;                // on the shop's list: never reminded
  bool never_again = false;              // asked not to be, or hung up angrily (seed 002)
  bool has_mobile = false;               // a number a text or a call can reach
  std::optional<UnixSeconds> last_paid;  // their last paid order in the shop
  std::optional<UnixSeconds> last_sms, last_phone;
  std::vector<UnixSeconds> reminded;  // every reminder sent or made, any channel
};

// The reminder being planned: the buyer's unpaid trades together.
struct ReminderFacts {
  Fen amount = 0;
  bool big = false;           // at or over [reminders] big_order_fen
  std::vector<Channel> used;  // channels already used on these trades
};

struct EligibilitySettings {
  int quiet_days = 3;  // no SMS after a paid order, an SMS or a call in this many days
  int cap = 2;         // reminders per buyer ...
  int cap_days = 3;    // ... in this many days
};

// Whether `channel` may remind the buyer now, and the reason either way, said so a person
// reads it on the reminder ("SMS skipped: phoned 2026-11-11 10:05").
struct Decision {
  bool allowed = false;
  std::string why;
};
Decision may_use(Channel channel, const ReminderFacts& c, const BuyerHistory& b, UnixSeconds now,
                 const EligibilitySettings& s);

}  // namespace fulfil::reminders
