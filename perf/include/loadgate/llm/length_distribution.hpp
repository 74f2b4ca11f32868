#pragma once
// A distribution of lengths in tokens, for synthetic prompts (input) and max_new_tokens (output).

#include <nlohmann/json_fwd.hpp>

#include "loadgate/random_engine.hpp"

namespace loadgate::llm {

class length_distribution {
 public:
  enum class kind { fixed, uniform, clipped_normal };

  length_distribution() = default;  // fixed(128)

  static length_distribution fixed(unsigned n);                   // n >= 1
  static length_distribution uniform(unsigned low, unsigned high);  // inclusive, 1 <= low <= high
  // Normal(mean, stddev), rounded and clamped to [low, high]: one draw per request, so a seed
  // gives the same sequence; the ends receive the clipped mass.
  static length_distribution clipped_normal(double mean, double stddev, unsigned low, unsigned high);

  unsigned next(random_engine& rng) const;

  kind type() const { return kind_; }
  double mean() const { return mean_; }
  double stddev() const { return stddev_; }
  unsigned low() const { return low_; }
  unsigned high() const { return high_; }
  bool operator==(const length_distribution&) const = default;

 private:
  kind kind_ = kind::fixed;
  double mean_ = 128;
  double stddev_ = 0;
  unsigned low_ = 128;
  unsigned high_ = 128;
};

// {"type": "fixed", "n": 128} | {"type": "uniform", "min": 8, "max": 512}
// | {"type": "clipped_normal", "mean": 256, "stddev": 64, "min": 8, "max": 512}
void to_json(nlohmann::json& j, const length_distribution& d);
void from_json(const nlohmann::json& j, length_distribution& d);

}  // namespace loadgate::llm
