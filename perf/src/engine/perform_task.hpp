#pragma once
// One task, once: build the request, exchange it, let the reader judge the response and record
// what it measured beyond pass/fail.
#include <optional>

#include <boost/asio/awaitable.hpp>

#include "engine/recorder.hpp"
#include "loadgate/task.hpp"
#include "protocol/http_connection.hpp"

namespace loadgate::engine {

// `intended_start`: the open model's schedule, which LLM readers time from; nullopt in the closed model.
inline boost::asio::awaitable<protocol::exchange_outcome> perform_task(
    const task& t, std::size_t which, task_context& context, protocol::http_connection& connection,
    std::optional<clock::time_point> intended_start, recorder& into) {
  const http_request request = t.request(context);
  if (t.reader) {
    const auto reader = t.reader();
    reader->begin(request, intended_start);
    const auto outcome = co_await connection.exchange(request, *reader);
    into.observe(which, *reader, outcome.failure, outcome.done);
    co_return outcome;
  }
  status_reader reader;  // the common case costs no allocation
  co_return co_await connection.exchange(request, reader);
}

}  // namespace loadgate::engine
