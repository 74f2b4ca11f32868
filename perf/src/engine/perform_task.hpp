#pragma once
// One task, once: build the request, exchange it, let the reader judge the response.
#include <boost/asio/awaitable.hpp>

#include "loadgate/task.hpp"
#include "protocol/http_connection.hpp"

namespace loadgate::engine {

inline boost::asio::awaitable<protocol::exchange_outcome> perform_task(const task& t, task_context& context,
                                                                        protocol::http_connection& connection) {
  const http_request request = t.request(context);
  if (t.reader) {
    const auto reader = t.reader();
    co_return co_await connection.exchange(request, *reader);
  }
  status_reader reader;  // the common case costs no allocation
  co_return co_await connection.exchange(request, reader);
}

}  // namespace loadgate::engine
