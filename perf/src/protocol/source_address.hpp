#pragma once
// Source addresses (target::source_addresses): checked once per run, then bound by every socket
// before it connects. Past ~28,000 connections to one target address and port, one local address
// runs out of ephemeral ports; several local addresses multiply that.
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>

namespace loadgate {
struct target;
}  // namespace loadgate

namespace loadgate::protocol {

// The target's source addresses, parsed. Throws configuration_error for text that is no address
// or an address of a family the target has no endpoint in, start_error for an address this
// machine cannot bind (a typo would otherwise fail every request instead of the start).
std::vector<boost::asio::ip::address> parse_source_addresses(const target& t,
                                                             const std::vector<boost::asio::ip::tcp::endpoint>& endpoints);

// Opens `socket` (closing it first if open) for `endpoint`'s protocol and binds it to `source`,
// leaving the port to the connect, which picks it for the whole 4-tuple.
boost::system::error_code open_bound(boost::asio::ip::tcp::socket& socket, const boost::asio::ip::tcp::endpoint& endpoint,
                                     const boost::asio::ip::address& source);

// The endpoints a socket bound to `source` can reach: those of its family, in order.
std::vector<boost::asio::ip::tcp::endpoint> reachable_from(const boost::asio::ip::address& source,
                                                           const std::vector<boost::asio::ip::tcp::endpoint>& endpoints);

}  // namespace loadgate::protocol
