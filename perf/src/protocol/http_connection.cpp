// The HTTP/1.1 client.
#include "protocol/http_connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include "detail/nothrow_awaitable.hpp"
#include "protocol/response_parser.hpp"
#include "protocol/source_address.hpp"
#include "protocol/tls_client.hpp"

namespace loadgate::protocol {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
namespace {

using detail::nothrow;

bool is_end_of_stream(const boost::system::error_code& ec) {
  return ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
}

}  // namespace

struct http_connection::tls_stream {
  asio::ssl::stream<tcp::socket&> stream;

  tls_stream(tcp::socket& socket, asio::ssl::context& context, const connection_settings& settings)
      : stream{socket, context} {
    prepare_tls_client(stream, settings);
  }
};

struct http_connection::attempt_result {
  exchange_outcome outcome;
  bool retryable = false;  // nothing of the response arrived: the server had closed the connection
};

http_connection::http_connection(const asio::any_io_executor& executor, const connection_settings& settings,
                                 std::size_t owner, histogram* read_waits)
    : settings_{settings},
      source_{settings.source_addresses.empty()
                  ? nullptr
                  : &settings.source_addresses[owner % settings.source_addresses.size()]},
      read_waits_{read_waits},
      socket_{executor} {}

http_connection::~http_connection() = default;

void http_connection::abort(failure_kind why) {
  aborted_ = why;
  deadline_ = clock::time_point::max();
  // Only the socket: an operation may be pending on the TLS stream, which must outlive it.
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void http_connection::cancel() {
  cancelled_ = true;
  if (busy()) abort(failure_kind::cancelled);
  else close();
}

void http_connection::close() {
  boost::system::error_code ignored;
  socket_.close(ignored);
  tls_.reset();
  buffer_.clear();
  open_ = false;
}

asio::awaitable<exchange_outcome> http_connection::exchange(const http_request& request, response_reader& reader,
                                                            bool constant) {
  if (cancelled_) co_return exchange_outcome{failure_kind::cancelled, {}, clock::now(), "the run had ended"};
  aborted_.reset();
  if (!constant || bytes_of_ != &request) {
    write_request(request_bytes_, request, settings_.prefix);
    bytes_of_ = constant ? &request : nullptr;
  }
  const bool head = request.method == "HEAD";
  for (int attempt_number = 0;; ++attempt_number) {
    const bool reused = open_;
    if (!open_) {
      if (auto failure = co_await connect())
        co_return exchange_outcome{failure->first, {}, clock::now(), std::move(failure->second)};
    }
    attempt_result result = co_await attempt(reader, head);
    deadline_ = clock::time_point::max();
    if (result.retryable && reused && attempt_number == 0 && !aborted_) continue;
    co_return result.outcome;
  }
}

std::string http_connection::aborted_cause() const {
  if (aborted_ == failure_kind::cancelled) return "still in flight when the run's grace period ended";
  return "deadline passed (connect, request or idle timeout)";
}

asio::awaitable<std::optional<std::pair<failure_kind, std::string>>> http_connection::connect() {
  deadline_ = clock::now() + settings_.connect_timeout;
  boost::system::error_code error;
  if (source_) error = co_await connect_from_source();
  else std::tie(error, std::ignore) = co_await asio::async_connect(socket_, settings_.endpoints, nothrow);
  if (!aborted_ && !error) {
    socket_.set_option(tcp::no_delay(true), error);
    if (!settings_.tls) enable_receive_timestamps(socket_);  // OpenSSL reads the socket itself
    if (settings_.tls) {
      tls_ = std::make_unique<tls_stream>(socket_, *settings_.tls, settings_);
      std::tie(error) = co_await tls_->stream.async_handshake(asio::ssl::stream_base::client, nothrow);
    }
  }
  deadline_ = clock::time_point::max();
  if (aborted_ || error) {
    const std::string step = tls_ ? "TLS handshake: " : "connect: ";
    close();
    if (aborted_) co_return std::pair{*aborted_, step + aborted_cause()};
    co_return std::pair{failure_kind::connect, step + error.message()};
  }
  open_ = true;
  responses_ = 0;
  co_return std::nullopt;
}

// asio::async_connect opens a fresh socket for each endpoint it tries, so with a source address
// the endpoints are tried here, each on a socket bound to it.
asio::awaitable<boost::system::error_code> http_connection::connect_from_source() {
  boost::system::error_code error = asio::error::address_family_not_supported;
  for (const auto& endpoint : reachable_from(*source_, settings_.endpoints)) {
    error = open_bound(socket_, endpoint, *source_);
    if (!error) std::tie(error) = co_await socket_.async_connect(endpoint, nothrow);
    if (!error || aborted_) break;
  }
  co_return error;
}

asio::awaitable<stamped_read> http_connection::read_some(asio::mutable_buffer into) {
  if (tls_) {
    const auto [error, n] = co_await tls_->stream.async_read_some(into, nothrow);
    co_return stamped_read{error, n, clock::now(), {}};  // before parsing: this is when the bytes were there
  }
  // Read at once, and wait only when nothing is there yet. Every few reads in a row that found
  // their bytes waiting, one goes through the scheduler: a server that streams faster than the
  // client parses would otherwise keep this thread from every other user, the watchdog and the
  // end of the run. (asio's async_read_some posts after every such read; a small response takes
  // one or two of them, and the post cost ~2,000 instructions a request.)
  constexpr std::uint32_t immediate_reads_between_yields = 8;
  bool waited_for_readiness = false;
  for (;;) {
    const auto r = receive_now(socket_, into);
    if (r.error != asio::error::would_block) {
      if (read_waits_ && !r.error) read_waits_->record(r.waited);
      immediate_reads_ = waited_for_readiness ? 0 : immediate_reads_ + 1;
      if (immediate_reads_ >= immediate_reads_between_yields) {
        immediate_reads_ = 0;
        co_await asio::post(socket_.get_executor(), asio::use_awaitable);
      }
      co_return r;
    }
    const auto [error] = co_await socket_.async_wait(tcp::socket::wait_read, nothrow);
    if (error) co_return stamped_read{error, 0, clock::now(), {}};
    waited_for_readiness = true;
  }
}

// The connection is unusable after a transport failure: close it so the next request reconnects.
http_connection::attempt_result http_connection::broken(failure_kind kind, std::string cause, clock::time_point sent,
                                                        clock::time_point seen, bool retryable) {
  close();
  return attempt_result{{kind, sent, seen, std::move(cause)}, retryable};
}

asio::awaitable<http_connection::attempt_result> http_connection::attempt(response_reader& reader, bool head) {
  const auto request_deadline = clock::now() + settings_.request_timeout;
  deadline_ = request_deadline;
  buffer_.clear();  // no pipelining: anything left over from the last response is not ours
  immediate_reads_ = 0;

  // Stamped as the write starts: asio sends speculatively in the initiating call, while this
  // coroutine may resume only after other users' handlers — a stamp taken then made a 200-ms
  // server delay measure 199.986 ms.
  const auto sent = clock::now();
  boost::system::error_code error;
  if (tls_) std::tie(error, std::ignore) = co_await asio::async_write(tls_->stream, asio::buffer(request_bytes_), nothrow);
  else std::tie(error, std::ignore) = co_await asio::async_write(socket_, asio::buffer(request_bytes_), nothrow);
  if (aborted_) co_return broken(*aborted_, aborted_cause(), sent, sent);
  if (error) co_return broken(failure_kind::reset, "write: " + error.message(), sent, sent, true);
  reader.on_sent(sent);

  response_parser parser{reader, head};
  bool received = false;
  clock::time_point latest = sent;  // stamps never go back: not before the send, not before the last read
  for (;;) {
    const auto read = co_await read_some(buffer_.prepare());
    error = read.error;
    const std::size_t n = read.bytes;
    const auto arrived = latest = std::max(latest, read.arrived);
    if (aborted_) co_return broken(*aborted_, aborted_cause(), sent, arrived);
    if (error) {
      if (received && is_end_of_stream(error)) {
        parser.put_eof();  // ends a body that runs to the close; anything else was cut short
        if (parser.done()) {
          close();
          co_return attempt_result{{reader.finish(arrived), sent, arrived}};
        }
        co_return broken(failure_kind::reset, fmt::format("read: {}", parser.error()), sent, arrived);
      }
      co_return broken(failure_kind::reset, "read: " + error.message(), sent, arrived, !received);
    }
    received = true;
    buffer_.commit(n);
    deadline_ = std::min(request_deadline, arrived + settings_.idle_timeout);
    buffer_.consume(parser.put(buffer_.view(), arrived));
    if (parser.malformed())
      co_return broken(failure_kind::protocol, fmt::format("malformed HTTP response: {}", parser.error()), sent, arrived);
    if (!parser.done()) continue;
    ++responses_;
    if (!parser.keep_alive()) close();
    co_return attempt_result{{reader.finish(arrived), sent, arrived}};
  }
}

}  // namespace loadgate::protocol
