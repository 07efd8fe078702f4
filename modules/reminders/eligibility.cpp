#include "reminders/eligibility.hpp"

#include <algorithm>

#include "common/timeutil.hpp"

namespace fulfil::reminders {

namespace {

std::string when(UnixSeconds t) {
  return format_gmt8(t).substr(0, 16);
}

Decision no(Channel c, std::string why) {
  return {false, std::string(to_string(c)) + " skipped: " + std::move(why)};
}

}  // namespace

std::string_view to_string(Channel c) {
  switch (c) {
    case Channel::im:
      return "IM";
    case Channel::sms:
      return "SMS";
    case Channel::phone:
      return "phone";
  }
  return "?";
}

std::string_view channel_key(Channel c) {
  switch (c) {
    case Channel::im:
      return "im";
    case Channel::sms:
      return "sms";
    case Channel::phone:
      return "phone";
  }
  return "?";
}

std::optional<Channel> parse_channel(std::string_view key) {
  for (auto c : {Channel::im, Channel::sms, Channel::phone})
    if (channel_key(c) == key) return c;
  return std::nullopt;
}

Decision may_use(Channel channel, const ReminderFacts& c, const BuyerHistory& b, UnixSeconds now,
                 const EligibilitySettings& s) {
  if (b.sensitive) return no(channel, "the buyer is on the sensitive list");
  if (b.never_again) return no(channel, "the buyer asked not to be reminded again");
  if (c.big && std::find(c.used.begin(), c.used.end(), channel) != c.used.end())
    return no(channel, "a big order is not reminded the same way twice");
  const UnixSeconds cap_from = now - 86400LL * s.cap_days;
  const auto recent = std::count_if(b.reminded.begin(), b.reminded.end(),
                                    [&](UnixSeconds t) { return t > cap_from; });
  if (recent >= s.cap)
    return no(channel, "reminded " + std::to_string(recent) + " times in " +
                           std::to_string(s.cap_days) + " days already");
  const UnixSeconds quiet_from = now - 86400LL * s.quiet_days;
  auto within = [&](const std::optional<UnixSeconds>& t) { return t && *t > quiet_from; };
  if (channel == Channel::sms) {
    if (!b.has_mobile) return no(channel, "no mobile number");
    if (within(b.last_paid)) return no(channel, "paid an order " + when(*b.last_paid));
    if (within(b.last_sms)) return no(channel, "texted " + when(*b.last_sms));
    if (within(b.last_phone)) return no(channel, "phoned " + when(*b.last_phone));
  }
  if (channel == Channel::phone) {
    if (!b.has_mobile) return no(channel, "no phone number");
    if (within(b.last_sms)) return no(channel, "texted " + when(*b.last_sms));
  }
  return {true, std::string(to_string(channel)) + " allowed"};
}

}  // namespace fulfil::reminders
