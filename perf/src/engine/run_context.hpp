#pragma once
// What every worker of a run shares, read-only once the run has started.
#include <cstddef>
#include <functional>

#include "engine/task_table.hpp"
#include "loadgate/scenario.hpp"
#include "loadgate/shard.hpp"
#include "protocol/connection_settings.hpp"

namespace loadgate::engine {

// The run's clock: one start shared by all threads, so their time windows line up.
struct run_plan {
  clock::time_point start{};
  clock::time_point end{};       // no task starts at or after this
  clock::time_point hard_end{};  // end + grace: whatever is still in flight is cancelled

  static run_plan starting_at(clock::time_point start, const scenario& s) {
    const auto end = start + s.duration();
    return {start, end, end + s.grace()};
  }
};

struct run_context {
  const scenario& s;
  protocol::connection_settings connection;
  task_table tasks;
  std::size_t threads;  // of this process
  loadgate::shard shard;  // the part of the run this process drives (all of it by default)
  run_plan plan;  // set once, by the barrier that releases the workers together
  // Stops every worker at once (thread-safe): a task threw, so the run's result would be wrong.
  std::function<void()> stop_all;
};

}  // namespace loadgate::engine
