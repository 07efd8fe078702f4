#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "review/checks.hpp"
#include "review/parcel_state.hpp"
#include "review/slices.hpp"

namespace fulfil::review {

// Stock keeping during review.
struct StockSettings {
  bool reserve = true;                  // approval reserves the parcel's SKUs
  bool check_at_approval = true;        // 计算缺货: refuse (park) what stock cannot cover;
                                        // switch off in a peak and run the shortage job later
  bool unknown_sku_is_problem = false;  // a line whose SKU has no stock row parks the parcel
};

// Everything review is configured with ([review] in the config).
struct ReviewSettings {
  Slicing slicing;
  std::vector<std::string> key_cities{"北京", "上海", "广州", "深圳", "杭州"};
  std::vector<std::string> supervisors;
  std::vector<std::string> problem_handlers;
  CheckSettings checks;
  bool merge = true;  // same buyer, same address, same shop: one parcel
  bool merge_across_shops = false;
  StockSettings stock;
  std::int64_t lease_seconds = 900;  // a claim returns to the queue after this
  int max_claim = 200;               // largest batch one claim may take
  int max_held = 600;                // parcels one reviewer may hold under claim at once
  int batch = 2000;                  // parcels per transaction in the daemon's own jobs
  bool auto_approve = false;         // approve normal parcels without a person

  // The roles the person `user` holds (none for an unknown name).
  Roles roles_of(const std::string& user) const;
  // The slice `user` reviews, or nullptr.
  const Slice* slice_of_reviewer(const std::string& user) const;
  // A short fingerprint of what decides a queued parcel's slice and rank.
  std::string slicing_fingerprint() const;
};

}  // namespace fulfil::review
