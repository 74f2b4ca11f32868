#pragma once
// One keep-alive HTTP/1.1 connection, owned by one virtual user (or one open-model slot) and
// used by one coroutine at a time.
//
// Deadlines are data, not timers: each operation stores when it must be over, and the thread's
// watchdog calls enforce_deadline() a few times per timeout period. That keeps timer-queue work
// off the hot path, and a hung server still cannot hold a request past its deadline.
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "loadgate/failure_kind.hpp"
#include "loadgate/histogram.hpp"
#include "loadgate/task.hpp"
#include "protocol/connection_settings.hpp"
#include "protocol/read_buffer.hpp"
#include "protocol/stamped_receive.hpp"

namespace loadgate::protocol {

struct exchange_outcome {
  std::optional<failure_kind> failure;
  clock::time_point sent{};  // the last request byte was written (of the attempt that answered)
  clock::time_point done{};  // the last response byte arrived, or the failure was seen
  std::string cause;         // a transport failure's cause, for people ("connect: Connection refused")
};

class http_connection {
 public:
  // `owner`: the user's or slot's index, which picks its source address when the run has several.
  // `read_waits`: where each read's wait in the kernel is recorded (protocol/stamped_receive.hpp;
  // the worker's, shared by its connections), or nowhere.
  http_connection(const boost::asio::any_io_executor& executor, const connection_settings& settings,
                  std::size_t owner = 0, histogram* read_waits = nullptr);
  ~http_connection();
  http_connection(const http_connection&) = delete;
  http_connection& operator=(const http_connection&) = delete;

  // Sends the request and feeds the response to `reader` as it arrives. Connects first when the
  // connection is closed. A request that meets a connection the server has closed meanwhile
  // (nothing received) is retried once on a new connection. Failures are values, never thrown.
  // `constant`: the request is the same object, unchanged, every time (loadgate::constant_request),
  // so its bytes are written once and sent again.
  boost::asio::awaitable<exchange_outcome> exchange(const http_request& request, response_reader& reader,
                                                    bool constant = false);

  // Fails the operation in progress with failure_kind::timeout when its deadline has passed.
  void enforce_deadline(clock::time_point now) {
    if (now >= deadline_) abort(failure_kind::timeout);
  }
  // The run is over: the exchange in progress fails as cancelled; no new one starts.
  void cancel();
  // Between requests only: drops the connection.
  void close();
  // Between requests only: gives the read buffer and the request's bytes back while the user thinks.
  void release_buffers() {
    buffer_.release();
    std::string{}.swap(request_bytes_);
    bytes_of_ = nullptr;
  }

  bool is_open() const { return open_; }
  bool busy() const { return deadline_ != clock::time_point::max(); }

 private:
  struct tls_stream;
  struct attempt_result;

  // A failure to connect, with its cause; nullopt once connected.
  boost::asio::awaitable<std::optional<std::pair<failure_kind, std::string>>> connect();
  boost::asio::awaitable<boost::system::error_code> connect_from_source();
  // What has arrived, into `into`, stamped when it arrived (plain TCP: the kernel's stamp).
  boost::asio::awaitable<stamped_read> read_some(boost::asio::mutable_buffer into);
  boost::asio::awaitable<attempt_result> attempt(response_reader& reader, bool head);
  attempt_result broken(failure_kind kind, std::string cause, clock::time_point sent, clock::time_point seen,
                        bool retryable = false);
  // Why the watchdog or the end of the run closed the socket, in words.
  std::string aborted_cause() const;
  void abort(failure_kind why);

  const connection_settings& settings_;
  const boost::asio::ip::address* source_;  // the local address to bind, or nullptr
  histogram* read_waits_;
  boost::asio::ip::tcp::socket socket_;
  std::unique_ptr<tls_stream> tls_;
  std::string request_bytes_;
  const http_request* bytes_of_ = nullptr;  // the constant request request_bytes_ holds, if any
  read_buffer buffer_;
  clock::time_point deadline_ = clock::time_point::max();
  std::optional<failure_kind> aborted_;  // why the watchdog or the end of the run closed the socket
  std::uint32_t responses_ = 0;          // on this connection, since it was opened
  bool open_ = false;
  bool cancelled_ = false;
  std::uint32_t immediate_reads_ = 0;  // reads in a row of this response that found their bytes waiting
};

}  // namespace loadgate::protocol
