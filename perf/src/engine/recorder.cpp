#include "engine/recorder.hpp"

namespace loadgate::engine {

recorder::recorder(const std::vector<weighted_task>& tasks, llm::per_request_slo slo) : slo_{slo} {
  for (const auto& t : tasks) {
    names_.push_back(&t.task.name);
    // A plain task is listed in the result even when it never completed a request; a task with a
    // reader of its own (LLM shapes) is filed under its adapters, so it gets a plain tally only if
    // its reader files plain observations.
    by_task_.push_back(t.task.reader ? nullptr : &result_.tallies[{t.task.name, {}, adapter_use::none}]);
  }
}

void recorder::publish(clock::time_point now, std::uint64_t active) {
  active_.store(active, std::memory_order_relaxed);
  const auto current = time_series::index_of(now < start_ ? clock::duration::zero() : now - start_);
  if (current == 0) return;
  const std::size_t closed = current - 1;
  if (published_index_ && *published_index_ >= closed) return;
  auto& window = result_.series.window(closed);
  window.active_users = active;
  published_index_ = closed;
  auto total = window.total();
  const std::lock_guard lock{handoff_mutex_};
  handoff_ = std::move(total);
  handoff_index_ = closed;
}

progress_share recorder::share() const {
  return {requests_.load(std::memory_order_relaxed), failures_.load(std::memory_order_relaxed),
          active_.load(std::memory_order_relaxed)};
}

std::optional<std::size_t> recorder::closed_window_index() const {
  const std::lock_guard lock{handoff_mutex_};
  return handoff_index_;
}

void recorder::add_closed_window(std::size_t index, tally& into) const {
  const std::lock_guard lock{handoff_mutex_};
  if (handoff_index_ == index) into.merge(handoff_);
}

}  // namespace loadgate::engine
