#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.hpp"
#include "common/error.hpp"

namespace fulfil::review {

// Where a parcel is. docs/parcel-states.md draws the machine; the table in
// parcel_state.cpp is its single source.
enum class State {
  ready,        // waiting in its slice's review queue
  in_review,    // claimed by a reviewer under a lease
  approved,     // reviewed: stock reserved, waiting for a waybill (next: waybill, printed, ...)
  problem,      // parked for the problem handler, with a reason
  intercepted,  // a trade was closed or refunded on the platform: stop wherever it is
  cancelled,    // a person decided it will not ship
  merged,       // emptied into another parcel (merge or unsplit); unmerge brings it back
  waybill,      // a courier and waybill number are assigned (modules/courier); next: printed
  printed,      // its labels are confirmed printed (modules/printing); next: packed
  packed,       // verified, weighed and packed at a pack station (modules/packing)
};
// States in which the parcel holds its stock reservation (reviewed, not yet gone).
bool holds_stock(State s);
std::string_view to_string(State s);
std::optional<State> parse_state(std::string_view text);

// Who acts. A person may hold several roles (a supervisor usually reviews too).
enum class Role : unsigned {
  sync = 1,             // the platform sync (intercepts)
  reviewer = 2,         // a person with a slice of the queue
  problem_handler = 4,  // a person who works the problem queue
  supervisor = 8,       // may do what reviewers and problem handlers do, on any parcel
  automatic = 16,       // the daemon's own jobs: checks, auto-approve, lease expiry
};
using Roles = unsigned;
constexpr Roles operator|(Role a, Role b) {
  return static_cast<Roles>(a) | static_cast<Roles>(b);
}
constexpr Roles operator|(Roles a, Role b) {
  return a | static_cast<Roles>(b);
}

struct Actor {
  std::string name;  // "alice", "auto", "sync"
  Roles roles = 0;
  bool has(Role r) const { return (roles & static_cast<Roles>(r)) != 0; }
};

enum class Action {
  claim,      // ready -> in_review (reviewer, for their slice)
  approve,    // in_review -> approved (the claim's holder); ready -> approved (automatic)
  park,       // ready/in_review/approved -> problem (holder, checks, supervisor)
  release,    // in_review -> ready (holder), problem -> ready, intercepted -> problem (handler)
  expire,     // in_review -> ready when the lease ran out (automatic)
  cancel,     // problem/intercepted/ready -> cancelled (problem handler, supervisor)
  unapprove,  // approved -> ready (supervisor), before a waybill exists
  intercept,  // any live state -> intercepted (sync)
  assign_waybill,   // approved -> waybill (automatic: the courier module)
  release_waybill,  // waybill -> approved (automatic, supervisor): waybill cancelled
  print,            // waybill -> printed (automatic: the printing module, on confirmation)
  pack,             // printed -> packed (automatic: the packing module, once verified)
};
std::string_view to_string(Action a);

// What the machine needs to know about a parcel to decide.
struct ParcelFacts {
  State state = State::ready;
  std::int64_t version = 0;
  std::string claim_holder;
  UnixSeconds claim_expires = 0;
};

// Decides whether `actor` may apply `action` to a parcel in `facts`, and the state it
// goes to. `expected_version` is what the caller last saw (nullopt for the daemon's own
// jobs, which read and write in one transaction). Errors: conflict (stale version, or a
// state the action does not start from), forbidden (role or someone else's claim).
Result<State> decide(const ParcelFacts& facts, Action action, const Actor& actor,
                     std::optional<std::int64_t> expected_version, UnixSeconds now);

// The table as text rows ("ready | claim | in_review | reviewer"), for docs and tests.
std::string describe_machine();

}  // namespace fulfil::review
