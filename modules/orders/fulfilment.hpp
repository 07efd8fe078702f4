#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orders/trade.hpp"

namespace fulfil::orders {

// What a platform status means for the warehouse.
enum class StatusClass {
  unpaid,         // waiting for payment: kept for payment reminders, never shipped
  paid_hold,      // paid but the platform forbids shipping yet
  to_ship,        // paid: ship it
  shipped,        // the platform already considers it shipped
  closed_paid,    // closed after payment (e.g. full refund): stop shipping
  closed_unpaid,  // closed unpaid: never ship
  unknown,
};
StatusClass classify_status(std::string_view platform_status);

// Where a trade is in the warehouse. Review, printing and packing add states of their own
// after `ready`; the platform sync only ever moves trades between the states below.
namespace fstate {
inline constexpr std::string_view awaiting_payment = "awaiting_payment";
inline constexpr std::string_view on_hold = "on_hold";
inline constexpr std::string_view ready = "ready";  // entered fulfilment, waiting for review
inline constexpr std::string_view intercepted = "intercepted";
inline constexpr std::string_view platform_shipped = "platform_shipped";
inline constexpr std::string_view closed = "closed";
// Set by review (modules/review), mirroring the trade's parcel; later issues add waybill,
// printed, packed and shipped.
inline constexpr std::string_view problem = "problem";
inline constexpr std::string_view approved = "approved";
inline constexpr std::string_view cancelled = "cancelled";
inline constexpr std::string_view waybill = "waybill";  // set by modules/courier
}  // namespace fstate

// True for a state name above (what the order API accepts as a filter).
bool known_fstate(std::string_view fstate);

// What the store tells review about a trade (rows of trade_signals), written in the same
// transaction as the change itself so review never misses one.
namespace signal {
inline constexpr std::string_view entered = "entered";          // got a serial: needs review
inline constexpr std::string_view intercepted = "intercepted";  // closed or refunded inside
inline constexpr std::string_view changed = "changed";          // updated while inside
}  // namespace signal

// True once a trade has entered the warehouse (it has a serial and staff may act on it).
bool entered_warehouse(std::string_view fstate);

// The stored facts the transition needs about a trade we already have.
struct StoredState {
  std::string status;
  std::string fstate;
  UnixSeconds modified = 0;
  bool has_serial = false;
  std::int64_t digest = 0;  // content_digest() of the stored version
};

// One history entry to record.
struct Event {
  std::string kind;    // "arrived", "status", "fstate", "intercepted"
  std::string detail;  // human-readable
};

// What to do with an incoming trade, given what is stored.
struct Transition {
  enum class Action { insert, update, skip } action = Action::skip;
  std::string fstate;
  std::string intercept_reason;  // set when fstate becomes intercepted
  bool assign_serial = false;    // the trade enters the warehouse now
  std::vector<Event> events;
};

// Decides how an incoming trade changes the store: a newer `modified` wins, an older one is
// skipped, an equal one wins only if its content differs (it was fetched later); paid trades enter
// the warehouse; closures and refunds after entry intercept the trade with the reason.
Transition decide(const Trade& incoming, const std::optional<StoredState>& stored);

}  // namespace fulfil::orders
