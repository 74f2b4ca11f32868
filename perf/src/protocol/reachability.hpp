#pragma once
// The pre-flight check of a run: one TCP connect to the target before any load (and one TLS
// handshake for https). A service that
// is not there is a start_error with a message a user can act on, not a result full of connect
// failures that looks like a measurement.
#include <optional>
#include <string>
#include <vector>

#include "protocol/connection_settings.hpp"

namespace loadgate::protocol {

// The one probe: connects once (to the first endpoint that answers, within `timeout`) and closes.
// nullopt when something answered, else why not ("connection refused", "no answer within 500 ms").
std::optional<std::string> connect_failure(const std::vector<boost::asio::ip::tcp::endpoint>& endpoints,
                                           clock::duration timeout);

// An https target's TLS handshake, with the run's settings (certificate check included): nullopt
// when it succeeded, else why not ("certificate verify failed").
std::optional<std::string> handshake_failure(const connection_settings& settings);

// The same, once for the run (and the handshake for https): throws start_error naming `url`, what
// went wrong and what to check.
void ensure_reachable(const connection_settings& settings, const std::string& url);

}  // namespace loadgate::protocol
