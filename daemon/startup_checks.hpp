#pragma once
#include "common/error.hpp"
#include "config.hpp"

namespace fulfil::daemon {

// What `run` opens before it binds and that parsing a config cannot see: the printing font
// and label templates (each template parsed and checked against the label), and the CURVE
// key files of the after-sale channel. Every problem is reported, one per line, so that
// `check-config` saying OK means the daemon starts.
Result<void> check_startable(const Config& config);

}  // namespace fulfil::daemon
