#pragma once
// What every connection of a run shares: where to connect, how to speak TLS, the deadlines.
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

#include "loadgate/task.hpp"
#include "protocol/request_writer.hpp"

namespace boost::asio::ssl {
class context;
}

namespace loadgate {
struct target;
}  // namespace loadgate

namespace loadgate::protocol {

// Every socket's deadlines, as the scenario sets them (the protocol box does not know scenarios).
struct deadlines {
  clock::duration connect{};  // TCP connect and TLS handshake
  clock::duration request{};  // first byte sent to last byte received
  clock::duration idle{};     // silence between two reads of one response
};

struct connection_settings {
  std::vector<boost::asio::ip::tcp::endpoint> endpoints;  // tried in order
  std::vector<boost::asio::ip::address> source_addresses;  // bound in turn before connecting; empty: none
  std::shared_ptr<boost::asio::ssl::context> tls;         // set for https
  std::string server_name;  // for SNI and the certificate check
  bool verify_certificates = true;
  request_prefix prefix;
  clock::duration connect_timeout{};  // TCP connect and TLS handshake
  clock::duration request_timeout{};  // first byte sent to last byte received
  clock::duration idle_timeout{};     // silence between two reads of one response
};

// Resolves the host (once per run, so name lookups never sit on the hot path) and builds the TLS
// context. Throws start_error when the host cannot be resolved or TLS cannot be set up.
connection_settings make_connection_settings(const target& t, const deadlines& d);

}  // namespace loadgate::protocol
