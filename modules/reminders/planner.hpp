#pragma once
#include <optional>
#include <string>
#include <vector>

#include "reminders/settings.hpp"

namespace fulfil::reminders {

// What a person reported after a call or an IM message (the outcome form).
enum class Outcome {
  will_pay,     // answered, will pay
  paid,         // says it is paid
  not_buyer,    // someone else answered: message left (seed 002)
  no_answer,    // no answer, switched off, busy: try another slot
  offline,      // IM: the buyer is not online, nothing sent
  sent,         // IM: message sent, no reply yet
  replied,      // IM: the buyer replied
  wants_close,  // the buyer no longer wants it: close the trade
  refused,      // does not want to be reminded
  angry,        // hung up angrily: never again (seed 002)
};
std::string_view to_string(Outcome o);
std::optional<Outcome> parse_outcome(std::string_view text);
// Whether the buyer was reached (the attempt counts as a reminder).
bool reached(Outcome o);
// Whether the buyer answered (the response rate).
bool responded(Outcome o);
// Whether the outcome ends the chase (close, refusal, anger).
bool ends_reminder(Outcome o);

// An attempt already made or planned on a reminder.
struct AttemptSeen {
  Channel channel = Channel::im;
  std::string state;  // due, sending, sent, delivered, failed, done, expired
  std::optional<Outcome> outcome;
  UnixSeconds created = 0;
  std::optional<UnixSeconds> done_at;
  bool open() const { return state == "due" || state == "sending"; }
};

// A reminder as the planner sees it.
struct ReminderSeen {
  UnixSeconds first_placed = 0;
  Fen amount = 0;
  bool big = false;
  bool cross_border = false;
  std::vector<AttemptSeen> attempts;
};

// The planner's step for one reminder now: an attempt to add (a task or a text), the
// decisions to note on it, giving up, and when to look at it again.
struct Step {
  struct NewAttempt {
    Channel channel = Channel::im;
    Window window;
    int stage = 0;  // cross-border: which message of seed 004 (0, 1, 2)
  };
  std::optional<NewAttempt> attempt;
  std::vector<std::string> notes;
  std::optional<std::string> give_up;  // why
  UnixSeconds wake_at = 0;             // nothing changes before then (unless a person acts)
};

// Decides what to do with a reminder at `now`: one attempt at a time; IM first while the
// silent window is open; then a call (at or over phone_from) or a text (below), each in its
// window and only if the eligibility rules allow it, the other as a fallback; an unanswered
// call again in a later slot up to phone_tries. Cross-border shops get the three English
// messages instead (after half a day, after two days) and are given up after two days and
// give_up_unanswered unanswered messages.
Step plan_step(const ReminderSeen& r, const BuyerHistory& buyer, UnixSeconds now,
               const ReminderSettings& s, const TimingSettings& timing);

}  // namespace fulfil::reminders
