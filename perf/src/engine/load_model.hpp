#pragma once
// The part of a worker that decides when tasks start: virtual users (closed) or arrivals (open).
// The worker owns the thread, the io_context and the watchdog; a model owns its users or
// connection slots and the coroutines that drive them.
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "engine/partition.hpp"
#include "loadgate/histogram.hpp"
#include "engine/recorder.hpp"
#include "engine/run_context.hpp"

namespace loadgate::engine {

// What a model gets from its worker.
struct worker_services {
  const run_context& context;
  partition part;  // which users, arrivals and slots are this worker's
  boost::asio::io_context& io;
  engine::recorder& recorder;
  histogram& read_waits;  // the worker's connections' waits in the kernel (protocol/stamped_receive.hpp)
  // Records the first exception of a coroutine (a bug or a throwing task) and stops the worker.
  std::function<void(std::exception_ptr)> fail;
};

class load_model {
 public:
  virtual ~load_model() = default;

  // Starts the model's coroutines on the worker's io_context (called once, at the run's start).
  virtual void start() = 0;
  virtual void enforce_deadlines(clock::time_point now) = 0;
  // The run was stopped early (loadgate/run_stop.hpp): start nothing more; what is in flight
  // goes on until it ends or cancel() comes.
  virtual void wind_down() = 0;
  // The grace period is over: everything still in flight fails as cancelled.
  virtual void cancel() = 0;
  // Nothing will start any more and nothing is in flight.
  virtual bool finished() const = 0;
  // Users (closed) or requests in flight (open), for the progress line and the time series.
  virtual std::uint64_t active() const = 0;
  virtual void fill(run_info& info) const = 0;
};

std::unique_ptr<load_model> make_closed_model(worker_services& services);
std::unique_ptr<load_model> make_open_model(worker_services& services);

}  // namespace loadgate::engine
