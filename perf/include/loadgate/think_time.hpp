#pragma once
// Think time between a virtual user's tasks, with Locust's semantics: it applies per task.
#include <chrono>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/random_engine.hpp"

namespace loadgate {

class think_time {
 public:
  enum class kind { none, constant, between, constant_pacing };

  think_time() = default;  // none: the next task starts as soon as the last one ended

  // How long to wait after a task that took `task_time`. constant_pacing returns
  // max(0, pacing - task_time), so that a task starts every `pacing`. between draws from the
  // engine's raw output, so a seed gives the same waits on every platform.
  std::chrono::nanoseconds next(std::chrono::nanoseconds task_time, random_engine& rng) const;

  kind type() const { return kind_; }
  std::chrono::nanoseconds low() const { return low_; }
  std::chrono::nanoseconds high() const { return high_; }

  bool operator==(const think_time&) const = default;

  friend think_time constant(std::chrono::nanoseconds wait);
  friend think_time between(std::chrono::nanoseconds low, std::chrono::nanoseconds high);
  friend think_time constant_pacing(std::chrono::nanoseconds pacing);
  friend think_time constant_throughput(double tasks_per_second);

 private:
  kind kind_ = kind::none;
  std::chrono::nanoseconds low_{};
  std::chrono::nanoseconds high_{};
};

// The factories throw configuration_error on a negative duration, high < low, or a rate <= 0.
think_time constant(std::chrono::nanoseconds wait);
think_time between(std::chrono::nanoseconds low, std::chrono::nanoseconds high);  // uniform
think_time constant_pacing(std::chrono::nanoseconds pacing);
think_time constant_throughput(double tasks_per_second);  // = constant_pacing(1 s / tasks_per_second)

// {"type": "none"}, {"type": "constant", "wait_ms": 250}, {"type": "between", "min_ms": 500,
// "max_ms": 1500}, {"type": "constant_pacing", "pacing_ms": 1000}; reading also accepts
// {"type": "constant_throughput", "tasks_per_second": 2} (written back as constant_pacing).
// Milliseconds may have a fractional part; unknown fields are rejected.
void to_json(nlohmann::json& j, const think_time& t);
void from_json(const nlohmann::json& j, think_time& t);

}  // namespace loadgate
