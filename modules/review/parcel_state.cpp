#include "review/parcel_state.hpp"

#include <array>
#include <initializer_list>

namespace fulfil::review {

namespace {

constexpr std::array<std::string_view, 10> k_state_names{
    "ready",     "in_review", "approved", "problem", "intercepted",
    "cancelled", "merged",    "waybill",  "printed", "packed"};

// One allowed move. `holder_only`: in_review parcels move only by their claim's holder
// (a supervisor may act on any).
struct Rule {
  State from;
  Action action;
  State to;
  Roles roles;
  bool holder_only = false;
};

constexpr Roles k_handlers = Role::problem_handler | Role::supervisor;

// The machine. Anything not listed is refused.
constexpr Rule k_rules[] = {
    {State::ready, Action::claim, State::in_review, static_cast<Roles>(Role::reviewer)},
    {State::ready, Action::approve, State::approved, Role::automatic | Role::supervisor},
    {State::ready, Action::park, State::problem, Role::automatic | Role::supervisor},
    {State::ready, Action::cancel, State::cancelled, k_handlers},
    {State::in_review, Action::approve, State::approved, Role::reviewer | Role::supervisor, true},
    {State::in_review, Action::park, State::problem,
     Role::reviewer | Role::supervisor | Role::automatic, true},
    {State::in_review, Action::release, State::ready, Role::reviewer | Role::supervisor, true},
    {State::in_review, Action::expire, State::ready, static_cast<Roles>(Role::automatic)},
    {State::problem, Action::release, State::ready, k_handlers},
    {State::problem, Action::cancel, State::cancelled, k_handlers},
    {State::approved, Action::unapprove, State::ready, static_cast<Roles>(Role::supervisor)},
    {State::approved, Action::park, State::problem, Role::automatic | Role::supervisor},
    {State::intercepted, Action::release, State::problem, k_handlers},
    {State::intercepted, Action::cancel, State::cancelled, k_handlers},
    {State::ready, Action::intercept, State::intercepted, static_cast<Roles>(Role::sync)},
    {State::in_review, Action::intercept, State::intercepted, static_cast<Roles>(Role::sync)},
    {State::approved, Action::intercept, State::intercepted, static_cast<Roles>(Role::sync)},
    {State::problem, Action::intercept, State::intercepted, static_cast<Roles>(Role::sync)},
    {State::approved, Action::assign_waybill, State::waybill, static_cast<Roles>(Role::automatic)},
    {State::waybill, Action::release_waybill, State::approved, Role::automatic | Role::supervisor},
    {State::waybill, Action::intercept, State::intercepted, static_cast<Roles>(Role::sync)},
    {State::waybill, Action::print, State::printed, static_cast<Roles>(Role::automatic)},
    {State::printed, Action::intercept, State::intercepted, static_cast<Roles>(Role::sync)},
    {State::printed, Action::pack, State::packed, static_cast<Roles>(Role::automatic)},
    // Packed is not gone: a trade refunded now still stops it at the door.
    {State::packed, Action::intercept, State::intercepted, static_cast<Roles>(Role::sync)},
};

std::string roles_text(Roles r) {
  std::string out;
  auto add = [&](Role role, std::string_view name) {
    if (r & static_cast<Roles>(role)) out += (out.empty() ? "" : ", ") + std::string(name);
  };
  add(Role::sync, "sync");
  add(Role::reviewer, "reviewer");
  add(Role::problem_handler, "problem handler");
  add(Role::supervisor, "supervisor");
  add(Role::automatic, "automatic");
  return out;
}

}  // namespace

std::string_view to_string(State s) {
  return k_state_names[static_cast<std::size_t>(s)];
}

bool holds_stock(State s) {
  return s == State::approved || s == State::waybill || s == State::printed || s == State::packed;
}

std::optional<State> parse_state(std::string_view text) {
  for (std::size_t i = 0; i < k_state_names.size(); ++i)
    if (k_state_names[i] == text) return static_cast<State>(i);
  return std::nullopt;
}

std::string_view to_string(Action a) {
  switch (a) {
    case Action::claim:
      return "claim";
    case Action::approve:
      return "approve";
    case Action::park:
      return "park";
    case Action::release:
      return "release";
    case Action::expire:
      return "expire";
    case Action::cancel:
      return "cancel";
    case Action::unapprove:
      return "unapprove";
    case Action::intercept:
      return "intercept";
    case Action::assign_waybill:
      return "assign_waybill";
    case Action::release_waybill:
      return "release_waybill";
    case Action::print:
      return "print";
    case Action::pack:
      return "pack";
  }
  return "?";
}

Result<State> decide(const ParcelFacts& f, Action action, const Actor& actor,
                     std::optional<std::int64_t> expected_version, UnixSeconds now) {
  if (expected_version && *expected_version != f.version)
    return fail(ErrorKind::conflict, "parcel changed meanwhile (version " +
                                         std::to_string(f.version) + ", you had " +
                                         std::to_string(*expected_version) + "): reload it");
  const Rule* rule = nullptr;
  for (const auto& r : k_rules)
    if (r.from == f.state && r.action == action) rule = &r;
  if (!rule)
    return fail(ErrorKind::conflict, "cannot " + std::string(to_string(action)) +
                                         " a parcel that is " + std::string(to_string(f.state)));
  if ((actor.roles & rule->roles) == 0)
    return fail(ErrorKind::forbidden, actor.name + " may not " + std::string(to_string(action)) +
                                          " a " + std::string(to_string(f.state)) +
                                          " parcel (needs: " + roles_text(rule->roles) + ")");
  if (rule->holder_only && !actor.has(Role::supervisor) && !actor.has(Role::automatic)) {
    if (f.claim_holder != actor.name)
      return fail(ErrorKind::forbidden,
                  "parcel is claimed by " + f.claim_holder + ", not " + actor.name);
    if (f.claim_expires < now)
      return fail(ErrorKind::conflict,
                  "your claim on this parcel ran out (lease_seconds) and it goes back to the "
                  "queue: nothing was changed; claim the next parcels, or ask a supervisor to " +
                      std::string(to_string(action)) + " this one");
  }
  if (action == Action::expire && f.claim_expires >= now)
    return fail(ErrorKind::conflict, "the claim has not expired yet");
  return rule->to;
}

std::string describe_machine() {
  std::string out;
  for (const auto& r : k_rules)
    out += std::string(to_string(r.from)) + " | " + std::string(to_string(r.action)) + " | " +
           std::string(to_string(r.to)) + " | " + roles_text(r.roles) +
           (r.holder_only ? " (claim holder; supervisor any)" : "") + "\n";
  return out;
}

}  // namespace fulfil::review
