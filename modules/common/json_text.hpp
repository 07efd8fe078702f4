#pragma once
#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace fulfil {

// A field of an outside system's JSON answer as text: a string as it is, a whole number in
// decimal (gateways send some numbers either way), anything else or a missing field empty.
std::string json_text(const boost::json::object& o, std::string_view key);

}  // namespace fulfil
