#pragma once
// Open-model arrivals: the gaps between intended request starts, independent of responses.
#include <chrono>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/random_engine.hpp"

namespace loadgate {

class arrival_process {
 public:
  enum class kind { constant, poisson, gamma };

  arrival_process() = default;  // constant

  static arrival_process constant() { return arrival_process{kind::constant, 1.0}; }
  static arrival_process poisson() { return arrival_process{kind::poisson, 1.0}; }
  // vLLM's convention: shape = burstiness, scale = 1 / (rate * burstiness). burstiness 1 is
  // Poisson; below 1 is burstier, above 1 more regular. S-LoRA's cv maps to burstiness = 1/cv².
  // Throws configuration_error unless burstiness > 0.
  static arrival_process gamma(double burstiness);

  // The gap to the next arrival at `rate` arrivals per second (the rate may change between calls,
  // as stages ramp). Mean gap = 1/rate for every kind. A rate <= 0 (a ramp from 0, say) returns
  // nanoseconds::max(): no arrival at that rate; the caller re-evaluates as the rate changes.
  // Draws use only the engine's raw output, so a seed gives the same gaps on every platform.
  std::chrono::nanoseconds next_gap(double rate, random_engine& rng) const;

  kind type() const { return kind_; }
  double burstiness() const { return burstiness_; }
  bool operator==(const arrival_process&) const = default;

 private:
  arrival_process(kind k, double burstiness) : kind_{k}, burstiness_{burstiness} {}
  kind kind_ = kind::constant;
  double burstiness_ = 1.0;
};

// {"type": "gamma", "burstiness": 0.5}
void to_json(nlohmann::json& j, const arrival_process& a);
void from_json(const nlohmann::json& j, arrival_process& a);

}  // namespace loadgate
