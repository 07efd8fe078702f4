#pragma once
#include <boost/json/object.hpp>

#include "picking/wave_service.hpp"

namespace fulfil::daemon {

boost::json::object wave_json(const picking::Wave& w);
boost::json::object wave_summary_json(const picking::WaveSummary& w);

}  // namespace fulfil::daemon
