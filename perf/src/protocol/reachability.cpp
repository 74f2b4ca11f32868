#include "protocol/reachability.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>

#include "loadgate/error.hpp"
#include "protocol/tls_client.hpp"

namespace loadgate::protocol {
namespace asio = boost::asio;
namespace {

std::string reason(const boost::system::error_code& ec, bool timed_out, clock::duration timeout) {
  if (timed_out)
    return "no answer within " + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()) +
           " ms";
  if (ec == asio::error::connection_refused) return "connection refused";
  return ec.message();
}

std::string host_and_port(const asio::ip::tcp::endpoint& e) {
  const auto address = e.address();
  return (address.is_v6() ? "[" + address.to_string() + "]" : address.to_string()) + ":" + std::to_string(e.port());
}

}  // namespace

std::optional<std::string> connect_failure(const std::vector<asio::ip::tcp::endpoint>& endpoints,
                                           clock::duration timeout) {
  if (endpoints.empty()) return "the host has no address";
  asio::io_context io{1};
  asio::ip::tcp::socket socket{io};
  asio::steady_timer timer{io};
  boost::system::error_code error = asio::error::would_block;
  bool timed_out = false;
  asio::async_connect(socket, endpoints, [&](const boost::system::error_code& ec, const auto&) {
    error = ec;
    timer.cancel();
  });
  timer.expires_after(timeout);
  timer.async_wait([&](const boost::system::error_code& ec) {
    // Cancelled, or the connect finished in the same pass, too late for the cancel to reach it.
    if (ec || error != asio::error::would_block) return;
    timed_out = true;
    boost::system::error_code ignored;
    socket.close(ignored);
  });
  io.run();  // both handlers run: the connect's ends the timer, the timer's ends the connect
  if (!error && !timed_out) return std::nullopt;
  return reason(error, timed_out, timeout);
}

std::optional<std::string> handshake_failure(const connection_settings& settings) {
  asio::io_context io{1};
  asio::ip::tcp::socket socket{io};
  asio::ssl::stream<asio::ip::tcp::socket&> stream{socket, *settings.tls};
  prepare_tls_client(stream, settings);
  asio::steady_timer timer{io};
  boost::system::error_code error = asio::error::would_block;
  bool timed_out = false;
  asio::async_connect(socket, settings.endpoints, [&](const boost::system::error_code& ec, const auto&) {
    if (ec) {
      error = ec;
      timer.cancel();
      return;
    }
    stream.async_handshake(asio::ssl::stream_base::client, [&](const boost::system::error_code& handshake) {
      error = handshake;
      timer.cancel();
    });
  });
  timer.expires_after(settings.connect_timeout);
  timer.async_wait([&](const boost::system::error_code& ec) {
    // Cancelled, or the handshake finished in the same pass, too late for the cancel to reach it.
    if (ec || error != asio::error::would_block) return;
    timed_out = true;
    boost::system::error_code ignored;
    socket.close(ignored);
  });
  io.run();
  if (!error && !timed_out) return std::nullopt;
  return reason(error, timed_out, settings.connect_timeout);
}

void ensure_reachable(const connection_settings& settings, const std::string& url) {
  const auto failure = connect_failure(settings.endpoints, settings.connect_timeout);
  if (failure) {
    if (settings.endpoints.empty()) throw start_error{"cannot connect to " + url + ": " + *failure};
    throw start_error{"cannot connect to " + url + " (" + *failure + "): is the service running and listening on " +
                      host_and_port(settings.endpoints.front()) + "? Check the URL, or start the service first"};
  }
  if (!settings.tls) return;
  // A certificate the run does not trust would fail every request the same way: say it once.
  if (const auto tls = handshake_failure(settings))
    throw start_error{"the TLS handshake with " + url + " failed (" + *tls + ")" +
                      (settings.verify_certificates
                           ? ": if the service's certificate comes from a private CA, give that CA's certificate "
                             "with --ca-file FILE (PEM); --insecure skips the check, and the result says so"
                           : "")};
}

}  // namespace loadgate::protocol
