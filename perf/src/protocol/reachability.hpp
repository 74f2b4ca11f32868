#pragma once
// The pre-flight check of a run: one TCP connect to the target before any load. A service that
// is not there is a start_error with a message a user can act on, not a result full of connect
// failures that looks like a measurement.
#include <string>

#include "protocol/connection_settings.hpp"

namespace loadgate::protocol {

// Connects once (to the first endpoint that answers, within settings.connect_timeout) and closes.
// Throws start_error naming `url`, what went wrong and what to check.
void ensure_reachable(const connection_settings& settings, const std::string& url);

}  // namespace loadgate::protocol
