// Before minutes of load go nowhere: tell "nothing listens" from "a service is there", with the
// run's own probe (protocol/reachability), after resolving the name once. Blocking: once per test.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "loadgate/target_from_env.hpp"
#include "protocol/reachability.hpp"

namespace loadgate {

std::optional<std::string> unreachable_reason(const target& t, std::chrono::milliseconds timeout) {
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::resolver resolver{io};
  boost::system::error_code ec;
  const auto results = resolver.resolve(t.host, std::to_string(t.port), ec);
  if (ec) return "cannot resolve " + t.host + ": " + ec.message();
  std::vector<asio::ip::tcp::endpoint> endpoints;
  for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  return protocol::connect_failure(endpoints, timeout);
}

}  // namespace loadgate
