#include "protocol/fetch.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "loadgate/error.hpp"
#include "protocol/connection_settings.hpp"
#include "protocol/http_connection.hpp"

namespace loadgate::protocol {
namespace {

class keeping_reader final : public response_reader {
 public:
  explicit keeping_reader(fetched& out) : out_{out} {}
  void on_status(unsigned status) override { out_.status = status; }
  void on_body(std::string_view bytes, clock::time_point /*arrived*/) override {
    const auto room = fetch_body_limit - std::min(fetch_body_limit, out_.body.size());
    if (bytes.size() > room) out_.truncated = true;
    out_.body.append(bytes.substr(0, room));
  }
  std::optional<failure_kind> finish(clock::time_point /*done*/) override { return std::nullopt; }

 private:
  fetched& out_;
};

}  // namespace

fetched fetch(const target& t, std::string_view path, clock::duration timeout) {
  const auto settings = make_connection_settings(t, {timeout, timeout, timeout});
  boost::asio::io_context io;
  http_connection connection{io.get_executor(), settings};
  fetched out;
  keeping_reader reader{out};
  std::optional<exchange_outcome> outcome;
  std::exception_ptr thrown;
  const http_request request{"GET", std::string{path}, {}, {}, {}};
  boost::asio::co_spawn(
      io, [&]() -> boost::asio::awaitable<void> { outcome = co_await connection.exchange(request, reader); },
      [&](std::exception_ptr e) { thrown = e; });
  // The connection's deadlines are data (http_connection.hpp): this loop is its watchdog. It
  // ends when the exchange has, whatever its outcome (the io_context is then out of work).
  while (!io.stopped()) {
    io.run_for(std::chrono::milliseconds{10});
    connection.enforce_deadline(clock::now());
  }
  if (thrown) std::rethrow_exception(thrown);
  if (!outcome || outcome->failure)
    throw start_error{"GET " + t.url() + std::string{path} + ": " +
                      (!outcome ? std::string{"no answer"}
                       : outcome->cause.empty() ? std::string{to_string(*outcome->failure)} : outcome->cause)};
  return out;
}

fetched fetch_url(const target& url, clock::duration timeout) {
  auto host = url;
  const auto path = std::exchange(host.base_path, {});
  return fetch(host, path.empty() ? "/" : path, timeout);
}

}  // namespace loadgate::protocol
