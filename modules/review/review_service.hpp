#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "review/intake.hpp"
#include "review/parcel_rows.hpp"
#include "review/settings.hpp"
#include "store/database.hpp"

namespace fulfil::review {

// A parcel with what a person needs to review it.
struct ParcelDetail {
  Parcel parcel;
  std::vector<orders::Tid> tids;    // trades whose home is this parcel
  std::vector<ParcelLine> lines;    // what it ships
  std::vector<ParcelEvent> events;  // oldest first
};

// Queue sizes of one slice.
struct SliceCount {
  std::string slice;
  std::string range;  // "serials after - through D11072800007"
  std::vector<std::string> reviewers;
  std::int64_t ready = 0, in_review = 0, key_city_ready = 0;
};
struct QueueStats {
  std::vector<SliceCount> slices;
  std::vector<std::pair<std::string, std::int64_t>> by_state;  // every state, including 0s
  std::int64_t signals_waiting = 0;                            // trades not yet taken into review
};

// Which parcels to list, paged by id.
struct ParcelFilter {
  std::optional<State> state;
  std::string slice;
  std::int64_t after_id = 0;
  int limit = 50;
};

// What a person's action did: the parcel after it, and a note when the outcome is not
// what was asked (approval parked for stock, or intercepted meanwhile).
struct ActionResult {
  Parcel parcel;
  std::string note;
};

// An oversold SKU found by the shortage job and the parcels it parked.
struct Oversold {
  std::string sku;
  std::int64_t on_hand = 0, reserved = 0;
  std::vector<std::int64_t> parked;
};

// Review (审单): the one entry point the daemon, API and CLI use. Each call is its own
// transaction (the jobs one per batch). Construct one per call on the caller's connection.
class ReviewService {
 public:
  ReviewService(store::Connection& conn, const Clock& clock, const ReviewSettings& settings)
      : m_conn(conn), m_clock(clock), m_s(settings) {}

  // --- the daemon's jobs
  // Takes waiting trade signals into review, up to `max_batches` batches.
  Result<IntakeReport> intake(int max_batches = 1000000);
  // Approves ready parcels without a person, key cities first, up to `max_batches`.
  struct AutoReport {
    int approved = 0, parked = 0, intercepted = 0;
  };
  Result<AutoReport> auto_approve(int max_batches = 1000000);
  // Returns parcels whose claim expired to the queue.
  Result<int> expire_claims();
  // Re-slices and re-ranks queued parcels when the slicing or key cities changed.
  Result<int> apply_slicing();
  // 计算缺货 as a batch: parks approved parcels that oversold SKUs cannot cover (oldest
  // payment keeps its stock) and reports the SKUs.
  Result<std::vector<Oversold>> shortage();

  // --- people
  // The next `n` parcels of `user`'s slice, claimed until the lease runs out.
  Result<std::vector<Parcel>> claim(const std::string& user, int n);
  // approve, park, release, cancel or unapprove one parcel last seen at `version`.
  Result<ActionResult> act(std::int64_t id, Action action, const std::string& user,
                           std::int64_t version, const std::string& note);
  // Merges parcels (same buyer, same address) into the one paid first.
  Result<Parcel> merge(const std::vector<std::pair<std::int64_t, std::int64_t>>& ids_versions,
                       const std::string& user);
  // Gives merged trades their own parcels back.
  Result<std::vector<Parcel>> unmerge(std::int64_t id, std::int64_t version,
                                      const std::string& user);
  // Moves these lines of a parcel into a new parcel (拆单); returns the new one.
  Result<Parcel> split(std::int64_t id, std::int64_t version, const std::vector<std::int64_t>& oids,
                       const std::string& user);
  // Puts a split-off parcel's lines back into the parcel it came from.
  Result<Parcel> unsplit(std::int64_t id, std::int64_t version, const std::string& user);

  // --- reading
  Result<std::optional<ParcelDetail>> detail(std::int64_t id);
  Result<std::vector<Parcel>> list(const ParcelFilter& filter);
  Result<QueueStats> stats();
  // The parcel that holds a trade now, if any.
  Result<std::optional<std::int64_t>> parcel_of(orders::Tid tid);

 private:
  Result<Actor> person(const std::string& user) const;
  store::Connection& m_conn;
  const Clock& m_clock;
  const ReviewSettings& m_s;
};

}  // namespace fulfil::review
