#pragma once
#include <toml++/toml.h>

#include <string>
#include <vector>

#include "review/settings.hpp"

namespace fulfil::daemon {

// Reads [review] (with [review.checks], [review.stock] and [[review.slices]]) into
// `out`; every problem goes to `errors` as "file:line: key: what". The slicing is
// validated against the configured `shops`: gaps, overlaps and reviewers in two slices are
// refused, naming the ranges.
void parse_review(const toml::table* table, const std::string& file,
                  const std::vector<std::string>& shops, std::vector<std::string>& errors,
                  review::ReviewSettings& out, std::int64_t& interval_seconds);

// The [review] part of the effective configuration, as TOML.
std::string describe_review(const review::ReviewSettings& r, std::int64_t interval_seconds);

// What a valid [review] leaves undone: a slice nobody approves, nobody to release parked
// parcels; each "origin: key: what".
void review_warnings(const review::ReviewSettings& r, const std::string& origin,
                     std::vector<std::string>& out);

}  // namespace fulfil::daemon
