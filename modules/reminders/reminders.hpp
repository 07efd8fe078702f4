#pragma once
// The reminders module owns payment reminders (催付) for unpaid trades: when each channel may
// remind a buyer (the silent-order table, quiet hours, the close), which channel a buyer may
// get, the SMS gateway's signature, and (to come) the reminders themselves, their results
// written back to the platform, the ledger and the daily summary.
#include "reminders/eligibility.hpp"
#include "reminders/message_template.hpp"
#include "reminders/selection.hpp"
#include "reminders/sms_signature.hpp"
#include "reminders/summary.hpp"
#include "reminders/timing.hpp"
