#include "protocol/source_address.hpp"

#include <netinet/in.h>

#include <boost/asio/io_context.hpp>

#include "loadgate/error.hpp"
#include "loadgate/target.hpp"

namespace loadgate::protocol {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::vector<tcp::endpoint> reachable_from(const asio::ip::address& source, const std::vector<tcp::endpoint>& endpoints) {
  std::vector<tcp::endpoint> same_family;
  for (const auto& endpoint : endpoints)
    if (endpoint.address().is_v4() == source.is_v4()) same_family.push_back(endpoint);
  return same_family;
}

boost::system::error_code open_bound(tcp::socket& socket, const tcp::endpoint& endpoint, const asio::ip::address& source) {
  boost::system::error_code error;
  socket.close(error);
  socket.open(endpoint.protocol(), error);
  if (error) return error;
  // Without it, bind() picks the port for the address alone: ~28,000 connections per source
  // address in all instead of per target. Linux takes it at the IPPROTO_IP level for IPv6 sockets too.
  const int yes = 1;
  ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &yes, sizeof yes);
  socket.bind({source, 0}, error);
  return error;
}

std::vector<asio::ip::address> parse_source_addresses(const target& t, const std::vector<tcp::endpoint>& endpoints) {
  std::vector<asio::ip::address> addresses;
  asio::io_context io;
  for (const auto& text : t.source_addresses) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(text, ec);
    if (ec)
      throw configuration_error("--source-address '" + text +
                                "' is not an IP address: give one of this machine's, such as 127.0.0.2");
    const std::string family = address.is_v4() ? "IPv4" : "IPv6";
    const auto reachable = reachable_from(address, endpoints);
    if (reachable.empty())
      throw configuration_error("--source-address " + text + " is " + family + " but the target host '" + t.host +
                                "' has no " + family + " address: give source addresses of the target's family");
    tcp::socket probe{io};
    ec = open_bound(probe, reachable.front(), address);
    if (ec)
      throw start_error("cannot use --source-address " + text + ": " + ec.message() +
                        "; it must be an address of this machine (on loopback, any 127.x.y.z)");
    addresses.push_back(address);
  }
  return addresses;
}

}  // namespace loadgate::protocol
