#include "orders/fulfilment.hpp"

namespace fulfil::orders {

StatusClass classify_status(std::string_view s) {
  if (s == "WAIT_BUYER_PAY" || s == "TRADE_NO_CREATE_PAY" || s == "PAY_PENDING" ||
      s == "WAIT_PRE_AUTH_CONFIRM")
    return StatusClass::unpaid;
  if (s == "PAID_FORBID_CONSIGN") return StatusClass::paid_hold;
  if (s == "WAIT_SELLER_SEND_GOODS" || s == "SELLER_CONSIGNED_PART") return StatusClass::to_ship;
  if (s == "WAIT_BUYER_CONFIRM_GOODS" || s == "TRADE_BUYER_SIGNED" || s == "TRADE_FINISHED")
    return StatusClass::shipped;
  if (s == "TRADE_CLOSED") return StatusClass::closed_paid;
  if (s == "TRADE_CLOSED_BY_TAOBAO") return StatusClass::closed_unpaid;
  return StatusClass::unknown;
}

bool entered_warehouse(std::string_view f) {
  return !(f == fstate::awaiting_payment || f == fstate::on_hold || f == fstate::closed ||
           f == fstate::platform_shipped || f.empty());
}

bool known_fstate(std::string_view f) {
  for (auto k : {fstate::awaiting_payment, fstate::on_hold, fstate::ready, fstate::intercepted,
                 fstate::platform_shipped, fstate::closed, fstate::problem, fstate::approved,
                 fstate::cancelled, fstate::waybill})
    if (f == k) return true;
  return false;
}

namespace {

std::optional<std::string> refund_reason(const Trade& t) {
  for (const auto& line : t.lines)
    if (refund_in_progress(line))
      return "refund " + line.refund_status + " on line " + std::to_string(line.oid);
  return std::nullopt;
}

// The state a trade takes from its platform status alone, for one not yet in the warehouse.
std::string fresh_state(StatusClass c) {
  switch (c) {
    case StatusClass::unpaid:
      return std::string(fstate::awaiting_payment);
    case StatusClass::paid_hold:
      return std::string(fstate::on_hold);
    case StatusClass::to_ship:
      return std::string(fstate::ready);
    case StatusClass::shipped:
      return std::string(fstate::platform_shipped);
    case StatusClass::closed_paid:
    case StatusClass::closed_unpaid:
      return std::string(fstate::closed);
    case StatusClass::unknown:
      return std::string(fstate::on_hold);
  }
  return std::string(fstate::on_hold);
}

}  // namespace

Transition decide(const Trade& in, const std::optional<StoredState>& stored) {
  Transition t;
  if (stored && (in.modified < stored->modified ||
                 (in.modified == stored->modified && content_digest(in) == stored->digest)))
    return t;  // skip: older, or the very version we have
  const StatusClass cls = classify_status(in.status);
  const bool was_in = stored && entered_warehouse(stored->fstate);
  const auto refund = refund_reason(in);

  if (!stored) {
    t.action = Transition::Action::insert;
    t.events.push_back({"arrived", "status " + in.status});
  } else {
    t.action = Transition::Action::update;
    if (stored->status != in.status)
      t.events.push_back({"status", stored->status + " -> " + in.status});
  }

  if (was_in) {
    // Inside the warehouse the platform can only pull a trade out, never move it along:
    // review, printing and packing own the state from here.
    t.fstate = stored->fstate;
    if (stored->fstate == fstate::intercepted || stored->fstate == fstate::cancelled) {
      // stays intercepted until a person releases it; cancelled is final
    } else if (cls == StatusClass::closed_paid || cls == StatusClass::closed_unpaid) {
      t.fstate = fstate::intercepted;
      t.intercept_reason = "trade closed on the platform (" + in.status + ")";
    } else if (refund) {
      t.fstate = fstate::intercepted;
      t.intercept_reason = *refund;
    }
  } else {
    t.fstate = fresh_state(cls);
    if (cls == StatusClass::unknown)
      t.events.push_back({"held", "unknown platform status " + in.status});
    if (t.fstate == fstate::ready && refund) {
      // A line with an open refund must not ship without a person looking at it.
      t.fstate = fstate::intercepted;
      t.intercept_reason = *refund;
    }
  }

  t.assign_serial = entered_warehouse(t.fstate) && !(stored && stored->has_serial);
  if (!stored || stored->fstate != t.fstate) {
    if (stored) t.events.push_back({"fstate", stored->fstate + " -> " + t.fstate});
    if (t.fstate == fstate::intercepted) t.events.push_back({"intercepted", t.intercept_reason});
  }
  return t;
}

}  // namespace fulfil::orders
