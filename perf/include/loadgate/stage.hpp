#pragma once
// A load shape as data: ramp, step, spike and soak are lists of stages, not code.
#include <chrono>
#include <optional>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace loadgate {

// Move linearly from the previous stage's target to `target` over `ramp`, then hold it for `hold`.
// The target is a number of users (closed model) or arrivals per second (open model).
struct stage {
  double target = 0;
  std::chrono::nanoseconds ramp{};
  std::chrono::nanoseconds hold{};
  bool operator==(const stage&) const = default;
};

using load_shape = std::vector<stage>;

std::chrono::nanoseconds total_duration(const load_shape& shape);
// The target at `elapsed` since the start, starting from `initial` before the first stage;
// nullopt once every stage is over. Intervals are half-open: at elapsed == total_duration(shape)
// the shape is over; a ramp of 0 is a step.
std::optional<double> target_at(const load_shape& shape, std::chrono::nanoseconds elapsed, double initial = 0);

// {"target": 100, "ramp_s": 10, "hold_s": 60}: seconds may have a fractional part, ramp_s and
// hold_s default to 0, negative numbers and unknown fields are rejected.
void to_json(nlohmann::json& j, const stage& s);
void from_json(const nlohmann::json& j, stage& s);

}  // namespace loadgate
