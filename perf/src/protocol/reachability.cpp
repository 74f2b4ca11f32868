#include "protocol/reachability.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>

#include "loadgate/error.hpp"
#include "protocol/source_address.hpp"
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

// Starts `begin(done)` on `io` and runs it to its end, or until `timeout`, when the socket is
// closed; `done(ec)` is how it ends. Why it failed, or nullopt when it did not.
template <class Begin>
std::optional<std::string> within(asio::io_context& io, asio::ip::tcp::socket& socket, clock::duration timeout,
                                  Begin begin) {
  asio::steady_timer timer{io};
  boost::system::error_code error = asio::error::would_block;
  bool timed_out = false;
  begin([&](const boost::system::error_code& ec) {
    error = ec;
    timer.cancel();
  });
  timer.expires_after(timeout);
  timer.async_wait([&](const boost::system::error_code& ec) {
    // Cancelled, or the probe finished in the same pass, too late for the cancel to reach it.
    if (ec || error != asio::error::would_block) return;
    timed_out = true;
    boost::system::error_code ignored;
    socket.close(ignored);
  });
  io.run();  // both handlers run: the probe's ends the timer, the timer's ends the probe
  if (!error && !timed_out) return std::nullopt;
  return reason(error, timed_out, timeout);
}

}  // namespace

std::optional<std::string> connect_failure(const std::vector<asio::ip::tcp::endpoint>& endpoints,
                                           clock::duration timeout) {
  if (endpoints.empty()) return "the host has no address";
  asio::io_context io{1};
  asio::ip::tcp::socket socket{io};
  return within(io, socket, timeout, [&](auto done) {
    asio::async_connect(socket, endpoints, [done](const boost::system::error_code& ec, const auto&) { done(ec); });
  });
}

std::optional<probe_failure> probe(const connection_settings& settings) {
  if (settings.endpoints.empty()) return probe_failure{false, "the host has no address"};
  asio::io_context io{1};
  asio::ip::tcp::socket socket{io};
  std::optional<asio::ssl::stream<asio::ip::tcp::socket&>> stream;
  if (settings.tls) {
    stream.emplace(socket, *settings.tls);
    prepare_tls_client(*stream, settings);
  }
  bool connected = false;
  auto failure = within(io, socket, settings.connect_timeout, [&](auto done) {
    auto then_handshake = [&, done](const boost::system::error_code& ec) {
      if (ec || !stream) return done(ec);
      connected = true;
      stream->async_handshake(asio::ssl::stream_base::client, done);
    };
    if (settings.source_addresses.empty())
      return asio::async_connect(socket, settings.endpoints,
                                 [then_handshake](const boost::system::error_code& ec, const auto&) { then_handshake(ec); });
    // From the first source address, as the run's first connection will be: a server that admits
    // only some source addresses answers the probe as it will answer the load.
    const auto& source = settings.source_addresses.front();
    const auto endpoint = reachable_from(source, settings.endpoints).front();
    if (const auto ec = open_bound(socket, endpoint, source))
      return asio::post(io, [then_handshake, ec] { then_handshake(ec); });  // after the timer is set
    socket.async_connect(endpoint, then_handshake);
  });
  if (!failure) return std::nullopt;
  return probe_failure{connected, std::move(*failure)};
}

void ensure_reachable(const connection_settings& settings, const std::string& url) {
  const auto failure = probe(settings);
  if (!failure) return;
  if (settings.endpoints.empty()) throw start_error{"cannot connect to " + url + ": " + failure->reason};
  if (!failure->during_handshake)
    throw start_error{"cannot connect to " + url + " (" + failure->reason + "): is the service running and listening on " +
                      host_and_port(settings.endpoints.front()) + "? Check the URL, or start the service first"};
  // A certificate the run does not trust would fail every request the same way: say it once.
  throw start_error{"the TLS handshake with " + url + " failed (" + failure->reason + ")" +
                    (settings.verify_certificates
                         ? ": if the service's certificate comes from a private CA, give that CA's certificate "
                           "with --ca-file FILE (PEM); --insecure skips the check, and the result says so"
                         : "")};
}

}  // namespace loadgate::protocol
