#pragma once
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "courier/allocation.hpp"
#include "courier/remote.hpp"
#include "courier/settings.hpp"
#include "review/parcel_rows.hpp"
#include "store/database.hpp"

namespace fulfil::courier {

// A parcel's waybill as stored.
struct Waybill {
  std::int64_t id = 0;
  std::int64_t parcel_id = 0;
  std::string courier;
  std::string idem_key;  // the request's idempotency key (Cainiao object_id, SF orderId)
  std::string state;     // requested | issued | cancelled | void | failed
  std::string waybill_no;
  std::string reason;  // why this courier
  std::string error;
  UnixSeconds created_at = 0, updated_at = 0;
};

// A ship confirmation owed to the platform.
struct Confirmation {
  std::int64_t id = 0;
  std::int64_t parcel_id = 0;
  std::int64_t tid = 0;
  std::string shop, courier, waybill_no, sub_tids, state, last_error;
  std::int64_t attempts = 0;
  UnixSeconds next_at = 0;
};

// What one run of the waybill job did.
struct WaybillReport {
  int issued = 0;
  int parked = 0;     // no courier could take them
  int waiting = 0;    // their courier's pool is empty: they stay approved
  int requested = 0;  // asked of a remote courier (recorded before the call)
  int refused = 0;    // a remote courier could not deliver or refused: re-allocated next run
  int retrying = 0;   // a remote call failed in a way worth retrying: asked again next run
  std::vector<std::string> empty_pools;
};

// What became of a confirmation: the platform was told, or the shop has no platform API
// (CSV imports) and a person marks it shipped there.
// How a shipment was told: to the platform; by hand (a shop without an API); or not at all
// because the trade is the warehouse's own (an exchange: its waybill goes into the
// platform's exchange record, which customer service keeps).
enum class Told { platform, by_hand, exchange };

// Tells the platform a trade shipped (taobao.logistics.offline.send for a platform shop).
// Returns an error whose kind says whether to try again.
using ConfirmShipment = std::function<Result<Told>(const Confirmation&)>;
// The same for many at once (many calls on the wire): one answer per confirmation, in order.
using ConfirmShipments = std::function<std::vector<Result<Told>>(std::span<const Confirmation>)>;

// What the confirmation job did.
struct ConfirmReport {
  int sent = 0, by_hand = 0, retrying = 0, failed = 0;
};

// Queues the ship confirmations of parcels that just moved on (confirm_at = printed or
// packed: the printing and packing modules call this), inside the caller's transaction.
void queue_confirmations_of(store::Connection& conn, review::ParcelRows& rows,
                            const std::vector<review::Parcel>& parcels, UnixSeconds now);

// Couriers and waybills: the module's entry point for the daemon, API and CLI.
class WaybillService {
 public:
  WaybillService(store::Connection& conn, const Clock& clock, const CourierSettings& settings)
      : m_conn(conn), m_clock(clock), m_s(settings) {}

  // Gives approved parcels (key cities first) a courier and a waybill number, batch by
  // batch: allocation by the rules, numbers from the courier's pool, the parcel moved to
  // `waybill`, the waybill, its reason and the day's count stored in one transaction; ship
  // confirmations queued when confirm_at = waybill. A parcel no courier can take is parked
  // as a problem with the reason.
  // Remote couriers' waybills are recorded as `requested` with their idempotency key before
  // the call and completed after it, so a crash in between is finished by asking again with
  // the same key (never a second waybill).
  Result<WaybillReport> issue(RemoteCouriers* remote = nullptr, int max_batches = 1000000);
  // Sends due ship confirmations with `confirm`, retrying with capped backoff; the ones that
  // keep failing (or fail for good) are left for a person (state failed); those of shops
  // without a platform API are listed as state manual.
  Result<ConfirmReport> confirm(const ConfirmShipments& confirm, int limit = 500);
  Result<ConfirmReport> confirm(const ConfirmShipment& confirm, int limit = 500);
  // Ends waybills whose parcel will not ship (intercepted, cancelled): pool numbers are
  // voided and never handed out again; a remote courier's waybill is cancelled at the courier
  // (state cancelled; retried next pass when the call fails in a retryable way; a refusal is
  // recorded on the waybill as void with the error). Returns how many ended.
  Result<int> void_unused(RemoteCouriers* remote = nullptr);
  // Shipped here, not there: confirmations the platform accepted over `after_seconds` ago
  // whose trade it still shows unshipped (as the last sync saw it) are sent once more; if
  // that does not help either, they fail and wait for a person. Returns {resent, failed}.
  Result<std::pair<int, int>> reconcile_shipped(std::int64_t after_seconds);

  Result<std::optional<Waybill>> live_waybill(std::int64_t parcel_id);
  Result<std::vector<Waybill>> waybills_of(std::int64_t parcel_id);
  // Today's parcels per courier (Shanghai day).
  Result<DayCounts> today();
  Result<std::vector<Confirmation>> confirmations(const std::string& state, int limit);

 private:
  store::Connection& m_conn;
  const Clock& m_clock;
  void record_answer(std::int64_t waybill_id, std::int64_t parcel_id, const std::string& courier,
                     const std::string& key, const Result<WaybillAnswer>& answer, UnixSeconds now,
                     WaybillReport& report);
  Result<void> call_remote(RemoteCouriers& remote, WaybillReport& report);
  const CourierSettings& m_s;
};

// The warehouse's own address: the sender on every waybill.
Contact warehouse_sender();

}  // namespace fulfil::courier
