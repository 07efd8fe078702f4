#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "courier/kuaidi100_client.hpp"
#include "store/database.hpp"

namespace fulfil::courier {

struct TrackingSettings {
  bool enabled = false;  // needs a Kuaidi100 account
  Kuaidi100Settings kuaidi100;
  int poll_minutes = 120;     // between queries of a moving shipment (push off)
  int interval_seconds = 60;  // between passes (new waybills enrolled and subscribed)
  int stuck_hours = 48;       // no event for this long: listed as stuck
  int batch = 500;            // shipments per pass
};

// A shipment followed for customer service: an outbound parcel's waybill, a return the
// after-sale module recorded, or a push for a number we never sent (unmatched).
struct Shipment {
  std::int64_t id = 0;
  std::string courier, waybill_no, kind;  // kind: outbound | return | unmatched
  std::optional<std::int64_t> parcel_id, tid;
  std::string state;  // TrackState name
  int state_code = -1;
  std::optional<UnixSeconds> last_event_at;
  std::string last_context, last_error;
  bool subscribed = false;
  UnixSeconds created_at = 0;
  std::vector<TrackEvent> events;  // newest first (filled by timeline queries)
};

enum class ShipmentList { attention, stuck, returns, unmatched };

struct TrackingReport {
  int enrolled = 0, subscribed = 0, polled = 0, updated = 0, failed = 0;
};

// Tracking owns the shipments and shipment_events tables: which waybills are followed,
// their events and mapped state, when each is asked about next (backoff on errors, none
// once final), and the lists customer service works from.
class TrackingService {
 public:
  TrackingService(store::Connection& conn, const Clock& clock, const TrackingSettings& s)
      : m_conn(conn), m_clock(clock), m_s(s) {}

  // Starts following every issued waybill of a parcel that ships; returns how many.
  Result<int> enroll();
  // One pass against Kuaidi100: subscribes new shipments when push is on, else queries
  // the due ones; records what it learnt.
  Result<TrackingReport> run(Kuaidi100Client& client);
  // Records what Kuaidi100 says of a shipment (poll answer or push): new events, state.
  // An unknown number is kept as `unmatched` so a person sees it. Returns the shipment id.
  Result<std::int64_t> apply(const Track& track);
  // A return parcel's tracking number, recorded by after-sale (or a person).
  Result<std::int64_t> add_return(const std::string& courier, const std::string& waybill_no,
                                  std::optional<std::int64_t> tid, const std::string& phone);
  Result<std::vector<Shipment>> list(ShipmentList which, int limit);
  // A parcel's shipments with their timelines.
  Result<std::vector<Shipment>> of_parcel(std::int64_t parcel_id);
  Result<std::optional<Shipment>> by_number(const std::string& waybill_no);

 private:
  void record_failure(std::int64_t id, int attempts, const Error& e, UnixSeconds now);
  // Shipments matching the condition; `number` binds its :w placeholder.
  std::vector<Shipment> read(const std::string& where_and_order, bool with_events,
                             std::optional<std::string> number = std::nullopt);
  store::Connection& m_conn;
  const Clock& m_clock;
  const TrackingSettings& m_s;
};

std::string_view to_string(ShipmentList l);
std::optional<ShipmentList> parse_shipment_list(std::string_view s);

}  // namespace fulfil::courier
