#pragma once
// One thread's statistics. The worker thread records without locks; the progress thread reads
// counters published with relaxed atomic stores and, once per window, a copy of the window that
// has just closed, handed over under a mutex.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "loadgate/result.hpp"
#include "loadgate/scenario.hpp"

namespace loadgate::engine {

// What the progress thread can see of one worker.
struct progress_share {
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  std::uint64_t active = 0;
};

class recorder {
 public:
  // `slo`: the scenario's per-request SLO, which LLM statistics count goodput against.
  explicit recorder(const std::vector<weighted_task>& tasks, llm::per_request_slo slo = {});

  void start(clock::time_point start) { start_ = start; }

  // Worker thread, once per request.
  void success(std::size_t task, clock::time_point done, clock::duration latency, clock::duration uncorrected) {
    by_task_[task]->record_success(latency, uncorrected);
    auto& w = window_at(done);
    ++w.requests;
    w.latency.record(latency);
    requests_.store(++requests_local_, std::memory_order_relaxed);
  }
  void failure(std::size_t task, clock::time_point done, failure_kind kind) {
    by_task_[task]->record_failure(kind);
    auto& w = window_at(done);
    ++w.requests;
    ++w.failures;
    requests_.store(++requests_local_, std::memory_order_relaxed);
    failures_.store(++failures_local_, std::memory_order_relaxed);
  }

  // Worker thread, once per request with a reader of its own: lets the reader record what it
  // measured beyond pass/fail (LLM readers: llm and adapter statistics).
  void observe(std::size_t task, response_reader& reader, std::optional<failure_kind> failure,
               clock::time_point done) {
    reader.record({result_, *names_[task], start_, failure, done, slo_});
  }

  // Worker thread, from its watchdog a few times per window: publishes the active count and,
  // when a window has closed since the last call, a copy of it for the progress line.
  void publish(clock::time_point now, std::uint64_t active);

  // Progress thread.
  progress_share share() const;
  // The index of the last window handed over, if any.
  std::optional<std::size_t> closed_window_index() const;
  // Adds the last window handed over to `into` when it is the one with `index`.
  void add_closed_window(std::size_t index, time_window& into) const;

  // After the worker has stopped.
  loadgate::result& result() { return result_; }

 private:
  time_window& window_at(clock::time_point t) {
    const auto index = time_series::index_of(t < start_ ? clock::duration::zero() : t - start_);
    if (index != current_index_ || current_ == nullptr) {
      current_ = &result_.series.window(index);  // may move the windows: never cache across indices
      current_index_ = index;
    }
    return *current_;
  }

  loadgate::result result_;
  std::vector<request_stats*> by_task_;  // map nodes are stable
  std::vector<const std::string*> names_;  // by task, the map's own keys
  llm::per_request_slo slo_;
  clock::time_point start_{};
  time_window* current_ = nullptr;
  std::size_t current_index_ = 0;
  std::uint64_t requests_local_ = 0;
  std::uint64_t failures_local_ = 0;
  std::optional<std::size_t> published_index_;

  // Cross-thread, each on its own cache line so the progress thread never slows the worker.
  alignas(64) std::atomic<std::uint64_t> requests_{0};
  alignas(64) std::atomic<std::uint64_t> failures_{0};
  std::atomic<std::uint64_t> active_{0};
  alignas(64) mutable std::mutex handoff_mutex_;
  time_window handoff_;
  std::optional<std::size_t> handoff_index_;
};

}  // namespace loadgate::engine
