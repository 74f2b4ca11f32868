#pragma once
// One worker thread: its own io_context (no locks inside Asio), its own recorder, its share of
// the users, and a watchdog that enforces deadlines and ends the run on time.
#include <exception>
#include <memory>

#include "engine/recorder.hpp"
#include "engine/run_context.hpp"

namespace loadgate::engine {

class worker {
 public:
  worker(const run_context& context, std::size_t index);
  ~worker();

  // On the worker's own thread, once the run's start time is set. Returns when the worker is done.
  void run();
  // From any thread: ends run() as soon as possible, abandoning what is in flight.
  void stop();
  // From any thread, for a run stopped early: no task starts any more, and what is still in
  // flight at `cancel_at` (or at the plan's end of grace, if sooner) is cancelled.
  void wind_down(clock::time_point cancel_at);

  const engine::recorder& recorder() const { return recorder_; }
  engine::recorder& recorder() { return recorder_; }
  // Fills its parts of run_info: the model's (peak users, late and dropped arrivals), summed over
  // workers, and the thread's event-loop lag and CPU share, the maximum over workers.
  void fill(run_info& info) const;
  clock::time_point finished_at() const { return finished_at_; }
  std::exception_ptr error() const { return error_; }

 private:
  struct impl;
  const run_context& context_;
  engine::recorder recorder_;
  std::unique_ptr<impl> impl_;
  clock::time_point finished_at_{};
  std::exception_ptr error_;
};

}  // namespace loadgate::engine
