// A TCP connect with a deadline: enough to tell "nothing listens" from "a service is there"
// before minutes of load go nowhere. Blocking, on a private io_context: called once per test.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "loadgate/target_from_env.hpp"

namespace loadgate {

std::optional<std::string> unreachable_reason(const target& t, std::chrono::milliseconds timeout) {
  namespace asio = boost::asio;
  asio::io_context io;
  asio::ip::tcp::resolver resolver{io};
  asio::ip::tcp::socket socket{io};
  std::optional<std::string> reason = "no answer within " + std::to_string(timeout.count()) + " ms";
  resolver.async_resolve(t.host, std::to_string(t.port), [&](auto ec, auto endpoints) {
    if (ec) {
      reason = "cannot resolve " + t.host + ": " + ec.message();
      return;
    }
    asio::async_connect(socket, endpoints, [&](auto connect_ec, const auto&) {
      reason = connect_ec ? std::optional<std::string>{connect_ec.message()} : std::nullopt;
    });
  });
  io.run_for(timeout);
  return reason;
}

}  // namespace loadgate
