#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "aftersale/return_record.hpp"

namespace fulfil::aftersale {

// The slip schema's name and version (docs/slips/slip.schema.json). A change that a
// receiver could misread gets a new version.
inline constexpr std::string_view k_slip_schema = "fulfild.slip/1";

// What a slip announces: goods to refund, goods to exchange (maybe with some refunded),
// or a return parcel nobody could identify yet.
std::string_view slip_kind(const ReturnRecord& r);

// A return's slip id: "S<return id>-<n>", n counting the slips of that return from 1. The
// receiver dedupes on it; a slip resent is byte for byte the same.
std::string slip_id(std::int64_t return_id, int n);

// The slip id an answer of the customer-service module acknowledges: exactly the two frames
// "ACK" and the id; anything else is not an ack.
std::optional<std::string_view> acked_slip(std::span<const std::string_view> frames);

// The slip as JSON text for the customer-service module. `supersedes` names the earlier
// slip of the same return (an unidentified one, now matched); empty when none.
std::string slip_json(const ReturnRecord& r, std::string_view id, std::string_view supersedes,
                      UnixSeconds now);

}  // namespace fulfil::aftersale
