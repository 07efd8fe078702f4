#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <zmq.hpp>

#include "aftersale/curve_keys.hpp"
#include "aftersale/settings.hpp"
#include "common/clock.hpp"
#include "store/database.hpp"

namespace fulfil::aftersale {

// One shipment status change for the feed: topic ("parcel.approved", "parcel.waybill",
// "parcel.printed", "parcel.intercepted", "parcel.cancelled", "parcel.shipped",
// "tracking.<state>", "tracking.signed", "return.received") and its JSON.
struct StatusChange {
  std::string topic, json;
};

// Reads status changes from where each module records them (review's parcel events,
// courier's ship confirmations and shipment changes, this module's returns). Its cursors
// and sequence number are kept in the store (table status_feed): a restart resumes where
// the last run saved, so nothing recorded meanwhile is skipped, and `seq` goes on from
// where it was (docs/status-feed.md: how a subscriber sees and fills a gap).
class StatusFeedReader {
 public:
  // Sets the cursors to the newest rows (a feed that was never run starts from now).
  Result<void> start_at_end(store::Connection& conn);
  // The saved cursors and sequence; a feed never saved starts at the end and saves that.
  Result<void> resume(store::Connection& conn);
  // Saves the cursors and sequence (after the changes read so far were published; a crash
  // before the save publishes them again with the same seq, which subscribers skip).
  Result<void> save(store::Connection& conn, UnixSeconds now);
  // The changes after the cursors, oldest first per source, at most `limit` per source;
  // advances the cursors past them. Each change carries the next sequence number.
  Result<std::vector<StatusChange>> next(store::Connection& conn, int limit = 1000);
  std::int64_t seq() const { return m_seq; }

 private:
  std::int64_t m_parcel_event = 0, m_confirm_done = 0, m_confirm_id = 0, m_shipment_change = 0,
               m_return = 0;
  std::int64_t m_seq = 0;
};

// The PUB socket the service module subscribes to: two frames, topic then JSON. With
// CURVE it binds only as a CURVE server whose clients the (running) ZAP handler checks.
class StatusPublisher {
 public:
  static Result<std::unique_ptr<StatusPublisher>> bind(zmq::context_t& ctx,
                                                       const std::string& endpoint,
                                                       const std::optional<KeyPair>& keys);
  void publish(const std::vector<StatusChange>& changes);
  // The endpoint actually bound (a tcp port of 0 or * becomes the real one).
  const std::string& endpoint() const { return m_endpoint; }

 private:
  StatusPublisher(zmq::socket_t s, std::string endpoint)
      : m_socket(std::move(s)), m_endpoint(std::move(endpoint)) {}
  zmq::socket_t m_socket;
  std::string m_endpoint;
};

}  // namespace fulfil::aftersale
