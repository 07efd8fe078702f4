#pragma once
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aftersale/return_record.hpp"
#include "aftersale/settings.hpp"
#include "common/clock.hpp"
#include "store/database.hpp"
#include "store/filtered_select.hpp"

namespace fulfil::aftersale {

// A return parcel as the staff check it in.
struct CheckIn {
  // What was scanned: the return parcel's tracking number (a refused parcel comes back
  // under its outbound waybill; a buyer's return under a number customer service recorded
  // with POST /api/v1/tracking/returns), or the barcode of the form ("R<parcel id>").
  std::string code;
  std::string courier;     // the return parcel's courier (ZTO, SF, ...), when known
  std::string waybill_no;  // its own number, when `code` is the form's barcode
  // Record it even when `code` finds nothing (no form, number unknown): it waits,
  // searchable by courier and number, until someone matches it.
  bool unidentified = false;
  Condition condition = Condition::fine;
  std::vector<FormLine> lines;  // the form; empty when it came without one
  std::string note;
  std::string request_key;  // the same key again returns the first check-in, changing nothing
  std::string user;
  bool condition_given = true;  // false: a match keeps the condition recorded at check-in
};

// What a scan finds, before the form is entered: the parcel and what it shipped.
struct ScanResult {
  std::int64_t parcel_id = 0;
  std::string parcel_state, shop, buyer_nick, outbound_waybill;
  std::vector<ShippedLine> lines;
  std::vector<std::int64_t> earlier_returns;
};

// Which returns to list, newest first, paged by id.
struct ReturnFilter {
  std::string state;       // identified | unidentified; empty: both
  std::string courier;     // the return parcel's courier
  std::string waybill_no;  // the return parcel's number (or what was scanned)
  std::optional<orders::Tid> tid;
  std::optional<std::int64_t> before_id;
  int limit = 50;
};

// Return check-in (退货登记): finds the original parcel, checks the form against what it
// shipped, stores the return, restocks goods that came back fine, makes the replacement
// trade of an exchange, and writes the slip with its outbox row, all in one transaction.
// Construct one per call on the caller's connection.
class ReturnWrites;

class ReturnService {
 public:
  ReturnService(store::Connection& conn, const Clock& clock, const ReturnSettings& settings)
      : m_conn(conn), m_clock(clock), m_s(settings) {}

  // Finds the parcel behind a scanned code; not_found names the code.
  Result<ScanResult> scan(const std::string& code);
  // Checks one return in. Errors: invalid_input (the form, naming each bad line),
  // not_found (a code that finds nothing, unless `unidentified`), conflict (a parcel that
  // never shipped).
  Result<ReturnRecord> check_in(const CheckIn& c);
  // Many check-ins in one transaction (a batch from a scanner queue): all or none.
  Result<std::vector<ReturnRecord>> check_in_many(std::span<const CheckIn> batch);
  // Gives an unidentified return its parcel and form (and the condition and note, when
  // given); a new slip supersedes the first. The same match sent again (the same parcel,
  // the same person) answers the return as it is: a resend after a lost answer is harmless.
  Result<ReturnRecord> match(std::int64_t id, const CheckIn& form);
  Result<std::optional<ReturnRecord>> get(std::int64_t id);
  Result<std::vector<ReturnRecord>> list(const ReturnFilter& filter);

 private:
  struct Found;
  std::optional<Found> find(const std::string& code);
  std::map<std::string, Found> find(std::span<const std::string> codes);
  ScanResult shipped_lines(const Found& f);
  Result<ReturnRecord> identify(ReturnRecord r, const CheckIn& c, const Found& f, UnixSeconds now);
  void add_slip(ReturnRecord& r, UnixSeconds now, ReturnWrites& writes);
  std::map<std::string, ReturnRecord> by_request_key(std::span<const CheckIn> batch);
  std::vector<ReturnRecord> read(const store::FilteredSelect& query, int limit);
  store::Connection& m_conn;
  const Clock& m_clock;
  const ReturnSettings& m_s;
};

}  // namespace fulfil::aftersale
