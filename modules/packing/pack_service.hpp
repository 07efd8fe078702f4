#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "courier/settings.hpp"
#include "packing/pack_rules.hpp"
#include "store/database.hpp"

namespace fulfil::packing {

// The pack station's steps. Every step re-reads the parcel inside its transaction, so an
// interception that arrives between two scans stops the next one.
class PackService {
 public:
  PackService(store::Connection& conn, const Clock& clock, courier::ConfirmAt confirm_at)
      : m_conn(conn), m_clock(clock), m_confirm_at(confirm_at) {}
  // The parcel of a scanned code: its serial, tracking number or tid (packing-list barcode).
  Result<std::optional<PackView>> find(std::string_view code);
  // This station takes the parcel; another station's hold is kept unless it has been idle
  // for k_hold_idle_seconds (a packer who walked away).
  Result<PackOutcome> start(std::int64_t parcel_id, const std::string& station,
                            const std::string& user);
  // One item scanned: its barcode (from the stock file) or the SKU printed on it.
  Result<PackOutcome> scan(std::int64_t parcel_id, const std::string& station,
                           const std::string& user, const std::string& barcode);
  // The rest of a line is missing: the parcel ships without it, the reason recorded.
  Result<PackOutcome> mark_short(std::int64_t parcel_id, const std::string& station,
                                 const std::string& user, std::int64_t oid,
                                 const std::string& reason);
  // Verified and weighed: the parcel moves to packed.
  Result<PackOutcome> finish(std::int64_t parcel_id, const std::string& station,
                             const std::string& user, std::int64_t weight_g);

 private:
  // Inside a transaction: the parcel's view, or nullopt when there is no such parcel.
  std::optional<PackView> load(std::int64_t parcel_id, bool lock);
  void hold(const PackView& v, const std::string& station, const std::string& user);
  store::Connection& m_conn;
  const Clock& m_clock;
  courier::ConfirmAt m_confirm_at;
};

}  // namespace fulfil::packing
