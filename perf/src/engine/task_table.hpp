#pragma once
// Weighted random choice of the next task, from the user's own generator.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "detail/random.hpp"
#include "loadgate/random_engine.hpp"
#include "loadgate/scenario.hpp"

namespace loadgate::engine {

class task_table {
 public:
  explicit task_table(const std::vector<weighted_task>& tasks) : tasks_{tasks} {
    std::uint64_t total = 0;
    for (const auto& t : tasks) cumulative_.push_back(total += t.weight);
  }

  // The library's own draw, not a std:: distribution: the draw must be the same on every standard
  // library for a seed to reproduce a run.
  std::size_t pick(random_engine& rng) const {
    if (cumulative_.size() == 1) return 0;
    const std::uint64_t x = detail::below(rng, cumulative_.back());
    return static_cast<std::size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), x) - cumulative_.begin());
  }

  const loadgate::task& operator[](std::size_t i) const { return tasks_[i].task; }
  std::size_t size() const { return tasks_.size(); }

 private:
  const std::vector<weighted_task>& tasks_;
  std::vector<std::uint64_t> cumulative_;
};

}  // namespace loadgate::engine
