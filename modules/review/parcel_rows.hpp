#pragma once
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "orders/trade.hpp"
#include "review/parcel_state.hpp"
#include "store/bulk_writer.hpp"
#include "store/database.hpp"

namespace fulfil::review {

// A parcel as stored.
struct Parcel {
  std::int64_t id = 0;
  std::string shop;
  State state = State::ready;
  std::int64_t version = 0;
  std::string slice;
  int key_rank = 1;  // 0: a key city
  UnixSeconds pay_time = 0, created = 0;
  std::int64_t serial_day = 0, serial_seq = 0;
  std::string buyer_nick, merge_key, city, problem;
  bool waived = false;  // a person released it: the checks do not park it again
  std::string claim_holder;
  UnixSeconds claim_expires = 0;
  std::optional<std::int64_t> merged_into, split_from;
  std::string reviewer;
  UnixSeconds created_at = 0, updated_at = 0;

  ParcelFacts facts() const { return {state, version, claim_holder, claim_expires}; }
};

// One history entry of a parcel.
struct ParcelEvent {
  std::int64_t parcel_id = 0;
  UnixSeconds at = 0;
  std::string actor, kind;
  std::string from_state, to_state;
  std::int64_t version = 0;
  std::string detail;
};

// One line a parcel ships, with the trade it belongs to.
struct ParcelLine {
  orders::Tid tid = 0;
  orders::TradeLine line;
};

// The SQL every review operation shares, inside the caller's transaction. Throws on
// database errors (in_transaction turns them into storage errors).
class ParcelRows {
 public:
  explicit ParcelRows(store::Connection& c) : m_conn(c), m_writer(c) {}

  store::Connection& conn() { return m_conn; }
  store::BulkWriter& writer() { return m_writer; }
  // Parcels by id, locked for update on PostgreSQL (SQLite's writer lock covers it).
  std::vector<Parcel> load(std::span<const std::int64_t> ids, bool lock);
  std::optional<Parcel> load_one(std::int64_t id, bool lock);
  // `sql` is the tail after FROM parcels ("WHERE state = 'ready' ORDER BY ... LIMIT 10").
  std::vector<Parcel> load_where(const std::string& tail);
  // Claims up to `n` ready parcels of `slice` in queue order for `holder` until `expires`
  // (SKIP LOCKED on PostgreSQL) and records the events. Returns them as claimed.
  std::vector<Parcel> claim(const std::string& slice, int n, const std::string& holder,
                            UnixSeconds expires, UnixSeconds now);
  // Returns parcels whose claim expired before `now` to the queue, with events.
  std::vector<Parcel> expire_claims(UnixSeconds now, int limit);
  // Reserves `n` fresh parcel ids; returns the first.
  std::int64_t reserve_ids(std::int64_t n);
  void insert(std::span<const Parcel> parcels);
  // Stores state, version, problem, claim, reviewer, merged_into, pay_time of `p` (whose
  // version the caller already advanced) and its event.
  void update(const Parcel& p);
  void add_events(std::span<const ParcelEvent> events);
  // Trades whose home is the parcel (merge moves them; splits do not).
  std::vector<orders::Tid> home_tids(std::int64_t parcel_id);
  std::map<std::int64_t, std::vector<orders::Tid>> home_tids(std::span<const std::int64_t> ids);
  // Trades whose lines the parcel ships: its home trades and, for a parcel split off
  // another, the trades of the lines moved into it (its address, buyer and labels).
  std::map<std::int64_t, std::vector<orders::Tid>> shipped_tids(std::span<const std::int64_t> ids);
  // The trades' current fstate (intercepted trades carry their reason).
  struct TradeFlag {
    std::string fstate, reason;
  };
  std::map<orders::Tid, TradeFlag> trade_flags(std::span<const orders::Tid> tids);
  // The lines a parcel ships: its trades' lines not split away, plus lines split into it.
  std::map<std::int64_t, std::vector<ParcelLine>> lines(std::span<const std::int64_t> ids);
  // Mirrors a parcel state onto its home trades (the order API shows it). Trades the
  // platform intercepted keep that state unless `over_intercepted`.
  void mirror(std::span<const orders::Tid> tids, std::string_view fstate,
              bool over_intercepted = false);
  // Deletes stock reservations of these parcels and gives the quantities back.
  void release_stock(std::span<const std::int64_t> parcel_ids);

 private:
  store::Connection& m_conn;
  store::BulkWriter m_writer;
};

// The parcel moved to `to` by `action`: version advanced, claim ended (unless claimed),
// the event that records it.
ParcelEvent advance(Parcel& p, State to, std::string_view kind, const std::string& actor,
                    std::string detail, UnixSeconds now);

}  // namespace fulfil::review
