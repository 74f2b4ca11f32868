#pragma once
// The pre-flight check of a run: one connection to the target before any load, with the TLS
// handshake on it for https. A service that is not there, or a certificate the run does not trust,
// is a start_error with a message a user can act on, not a result full of connect failures that
// looks like a measurement.
#include <optional>
#include <string>
#include <vector>

#include "protocol/connection_settings.hpp"

namespace loadgate::protocol {

// Connects once (to the first endpoint that answers, within `timeout`) and closes: nullopt when
// something answered, else why not ("connection refused", "no answer within 500 ms").
std::optional<std::string> connect_failure(const std::vector<boost::asio::ip::tcp::endpoint>& endpoints,
                                           clock::duration timeout);

// Why the run's probe failed: at the TCP connect, or at the TLS handshake after it.
struct probe_failure {
  bool during_handshake = false;
  std::string reason;  // "connection refused", "certificate verify failed", "no answer within 5000 ms"
};

// The run's probe, with its settings: connect and, for https, the TLS handshake on that
// connection (certificate check included), both within the connect timeout, as a request's are.
std::optional<probe_failure> probe(const connection_settings& settings);

// The probe, once for the run: throws start_error naming `url`, what went wrong and what to check.
void ensure_reachable(const connection_settings& settings, const std::string& url);

}  // namespace loadgate::protocol
