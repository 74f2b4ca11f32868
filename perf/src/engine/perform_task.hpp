#pragma once
// One task, once: build the request, exchange it, let the reader judge the response and add what
// it measured beyond pass/fail, and file the observation.
#include <optional>

#include <boost/asio/awaitable.hpp>

#include "engine/recorder.hpp"
#include "loadgate/task.hpp"
#include "protocol/http_connection.hpp"

namespace loadgate::engine {

// What the exchange showed, before the reader adds its own figures. Latency counts from the
// intended start when there is one (open model, coordinated omission), else from the send; a
// request that was never sent starts when it failed.
inline observation observed(const protocol::exchange_outcome& outcome, std::optional<clock::time_point> intended_start) {
  observation o;
  o.failure = outcome.failure;
  o.cause = outcome.cause;
  const auto sent = outcome.sent == clock::time_point{} ? outcome.done : outcome.sent;
  o.start = intended_start.value_or(sent);
  o.latency = outcome.done - o.start;
  o.latency_uncorrected = outcome.done - sent;
  return o;
}

// After the exchange: the observation lives on this function's stack, not in the coroutine's
// frame, which every request in flight holds (10,000 users starting at once hold 10,000 frames).
inline void file_exchange(response_reader& reader, const protocol::exchange_outcome& outcome,
                          std::optional<clock::time_point> intended_start, std::size_t which, recorder& into) {
  auto o = observed(outcome, intended_start);
  reader.observe(o);
  into.file(which, o, outcome.done);
}

// `intended_start`: the open model's schedule, which latencies count from; nullopt in the closed model.
inline boost::asio::awaitable<protocol::exchange_outcome> perform_task(
    const task& t, std::size_t which, task_context& context, protocol::http_connection& connection,
    std::optional<clock::time_point> intended_start, recorder& into) {
  std::optional<http_request> built;  // a constant request is sent from where it lives
  const auto* constant = t.request.target<constant_request>();
  const http_request& request = constant ? *constant->request : built.emplace(t.request(context));
  if (t.reader) {
    const auto reader = t.reader();
    reader->begin(request, intended_start);
    const auto outcome = co_await connection.exchange(request, *reader, constant != nullptr);
    file_exchange(*reader, outcome, intended_start, which, into);
    co_return outcome;
  }
  status_reader reader;  // the common case costs no allocation
  const auto outcome = co_await connection.exchange(request, reader, constant != nullptr);
  file_exchange(reader, outcome, intended_start, which, into);
  co_return outcome;
}

}  // namespace loadgate::engine
