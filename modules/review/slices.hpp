#pragma once
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "orders/serial.hpp"

namespace fulfil::review {

// How the review queue is divided between reviewers: one dimension for the whole
// warehouse, so that every parcel falls in exactly one slice.
enum class SplitBy {
  pool,        // one shared slice
  serial,      // serial-number ranges: (after, through], compared as (day, sequence)
  order_time,  // order-time ranges: [from, before), the trade's creation time
  shop,        // whole shops
};

// One slice of the queue and who works it.
struct Slice {
  std::string name;
  std::vector<std::string> reviewers;
  std::optional<orders::Serial> serial_after, serial_through;  // split_by = serial
  std::optional<UnixSeconds> time_from, time_before;           // split_by = order_time
  std::vector<std::string> shops;                              // split_by = shop
};

struct Slicing {
  SplitBy by = SplitBy::pool;
  std::vector<Slice> slices;
};

// What decides a parcel's slice.
struct SliceKey {
  orders::Serial serial;
  UnixSeconds created = 0;
  std::string shop;
};

// Every problem with a slicing, each naming the ranges or shops at fault: a gap (some
// parcel would be in no slice), an overlap (in two), a reviewer in two slices, a bound of
// the wrong kind. `shops` are the configured shop names (a shop split must cover them).
std::vector<std::string> validate(const Slicing& slicing, const std::vector<std::string>& shops);

// The one slice a parcel belongs to (valid slicing assumed); empty when none matches
// (a shop that is not configured).
std::string slice_of(const Slicing& slicing, const SliceKey& key);

// An SQL condition on parcels (serial_day, serial_seq, created, shop) that holds exactly
// for `slice`, used to re-slice queued parcels when the slicing changes. Only integers and
// validated shop names are inlined.
std::string slice_condition(const Slicing& slicing, const Slice& slice);

// "D26111100007" style text of a range end, or "-" when open, for messages.
std::string describe_range(const Slicing& slicing, const Slice& slice);

}  // namespace fulfil::review
