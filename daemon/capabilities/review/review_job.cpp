#include "capabilities/review/review_job.hpp"

#include "common/log.hpp"
#include "review/review_service.hpp"

namespace fulfil::daemon {

Result<void> run_review_once(const Config& config, StoreAccess& store, const Clock& clock,
                             bool apply_slicing) {
  auto conn = store.local(store::Durability::strict);
  if (!conn) return std::unexpected(conn.error());
  review::ReviewService review(**conn, clock, config.review);
  auto fail_with = [&](const Error& e) -> Result<void> {
    store.reset_local();
    log::error("review pass failed", {{"error", e.message}, {"kind", to_string(e.kind)}});
    return std::unexpected(e);
  };
  if (apply_slicing)
    if (auto r = review.apply_slicing(); !r) return fail_with(r.error());
  auto in = review.intake();
  if (!in) return fail_with(in.error());
  review::ReviewService::AutoReport approved;
  if (config.review.auto_approve) {
    auto r = review.auto_approve();
    if (!r) return fail_with(r.error());
    approved = *r;
  }
  auto expired = review.expire_claims();
  if (!expired) return fail_with(expired.error());
  if (in->signals || approved.approved || approved.parked || *expired)
    log::info("review pass", {{"new_parcels", in->parcels},
                              {"problems", in->problems},
                              {"merged", in->merged},
                              {"intercepted", in->intercepted + approved.intercepted},
                              {"rechecked", in->rechecked},
                              {"auto_approved", approved.approved},
                              {"parked_for_stock", approved.parked},
                              {"claims_expired", *expired}});
  return {};
}

}  // namespace fulfil::daemon
