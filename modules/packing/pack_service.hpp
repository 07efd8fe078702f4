#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "courier/settings.hpp"
#include "review/parcel_rows.hpp"
#include "store/database.hpp"

namespace fulfil::packing {

// One line of a parcel as the packer verifies it.
struct PackLine {
  std::int64_t oid = 0;
  std::string title, sku_properties, sku, barcode, location;
  int expected = 0, verified = 0;
  std::string short_reason;  // set when the rest of the line is missing
  bool done() const { return verified >= expected || !short_reason.empty(); }
};

// A parcel at the pack station.
struct PackView {
  review::Parcel parcel;
  std::string courier, waybill_no;
  std::vector<PackLine> lines;
  std::string station, user;        // who holds it (empty: nobody)
  UnixSeconds held_until_idle = 0;  // the hold's last step
  std::optional<UnixSeconds> packed_at;
  std::optional<std::int64_t> weight_g;
  // Why it must not leave, whatever step it is at (intercepted, cancelled); empty if none.
  std::string stop;
  bool verified() const;
};

// A step the station may not take, with the parcel as it is: nothing was changed.
// code: stop, held_elsewhere, packed, wrong_item, over_scan, unknown_barcode,
// not_verified, not_printed, not_packable.
struct Refusal {
  std::string code, message;
};

struct PackOutcome {
  PackView view;
  std::optional<Refusal> refused;
};

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

  static constexpr std::int64_t k_hold_idle_seconds = 15 * 60;

 private:
  // Inside a transaction: the parcel's view, or nullopt when there is no such parcel.
  std::optional<PackView> load(std::int64_t parcel_id, bool lock);
  // Inside a transaction: a refusal when `station` may not work on the parcel now.
  std::optional<Refusal> may_work(const PackView& v, const std::string& station);
  void hold(const PackView& v, const std::string& station, const std::string& user);
  store::Connection& m_conn;
  const Clock& m_clock;
  courier::ConfirmAt m_confirm_at;
};

}  // namespace fulfil::packing
