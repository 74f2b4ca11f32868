#pragma once
// One thread's statistics, and the only place observations are filed. The worker thread records
// without locks; the progress thread reads counters published with relaxed atomic stores and,
// once per window, the total of the window that has just closed, handed over under a mutex.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <type_traits>
#include <vector>

#include "loadgate/llm/per_request_slo.hpp"
#include "loadgate/result.hpp"
#include "loadgate/scenario.hpp"

namespace loadgate::engine {

// Tally pointers into windows survive the windows' vector growing only if windows move.
static_assert(std::is_nothrow_move_constructible_v<time_window>);

// What the progress thread can see of one worker.
struct progress_share {
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  std::uint64_t active = 0;
};

class recorder {
 public:
  // `slo`: the scenario's per-request SLO, which goodput counts against.
  explicit recorder(const std::vector<weighted_task>& tasks, llm::per_request_slo slo = {});

  void start(clock::time_point start) { start_ = start; }

  // Worker thread, once per request: files what the request showed under its task's name, for the
  // whole run and for the window it completed in.
  void file(std::size_t task, observation& o, clock::time_point done) {
    o.met_slo = slo_.met_by(o);  // false for failures
    const auto window = time_series::index_of(done < start_ ? clock::duration::zero() : done - start_);
    if (o.llm) {
      result_.file(*names_[task], o, o.start - start_, window);  // keyed by adapter, first sights held apart
    } else {
      if (by_task_[task] == nullptr) by_task_[task] = &result_.tallies[{*names_[task], {}, adapter_use::none}];
      by_task_[task]->record(o);
      window_tally(task, window).record(o);
    }
    requests_.store(++requests_local_, std::memory_order_relaxed);
    if (o.failure) failures_.store(++failures_local_, std::memory_order_relaxed);
  }

  // Worker thread, from its watchdog a few times per window: publishes the active count and,
  // when a window has closed since the last call, its total for the progress line.
  void publish(clock::time_point now, std::uint64_t active);

  // Progress thread.
  progress_share share() const;
  // The index of the last window handed over, if any.
  std::optional<std::size_t> closed_window_index() const;
  // Adds the last window handed over to `into` when it is the one with `index`.
  void add_closed_window(std::size_t index, tally& into) const;

  // After the worker has stopped.
  loadgate::result& result() { return result_; }

 private:
  // The plain task's tally in window `index`, cached while the window is the current one.
  tally& window_tally(std::size_t task, std::size_t index) {
    if (index != current_index_ || current_.empty()) {
      current_.assign(by_task_.size(), nullptr);
      current_index_ = index;
    }
    auto*& t = current_[task];
    if (t == nullptr) t = &result_.series.window(index).tallies[{*names_[task], {}, adapter_use::none}];
    return *t;
  }

  loadgate::result result_;
  std::vector<tally*> by_task_;            // plain requests' whole-run tallies (map nodes are stable), made on first use
  std::vector<const std::string*> names_;  // by task: the scenario's, which outlives the run
  llm::per_request_slo slo_;
  clock::time_point start_{};
  std::vector<tally*> current_;  // by task, in window current_index_
  std::size_t current_index_ = 0;
  std::uint64_t requests_local_ = 0;
  std::uint64_t failures_local_ = 0;
  std::optional<std::size_t> published_index_;

  // Cross-thread, each on its own cache line so the progress thread never slows the worker.
  alignas(64) std::atomic<std::uint64_t> requests_{0};
  alignas(64) std::atomic<std::uint64_t> failures_{0};
  std::atomic<std::uint64_t> active_{0};
  alignas(64) mutable std::mutex handoff_mutex_;
  tally handoff_;
  std::optional<std::size_t> handoff_index_;
};

}  // namespace loadgate::engine
