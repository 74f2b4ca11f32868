#pragma once
// Draws computed from the engine's raw output. std::mt19937_64 is specified bit for bit by the
// standard but the std:: distributions are not, so with them a seed recorded in a result would
// give another workload on another standard library.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace loadgate::workload_detail {

// Uniform in [0, 1): the top 53 bits, every double of that form equally likely.
inline double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// Uniform in (0, 1], safe to take the logarithm of.
inline double uniform01_open_low(std::mt19937_64& rng) { return 1.0 - uniform01(rng); }

inline double standard_exponential(std::mt19937_64& rng) { return -std::log(uniform01_open_low(rng)); }

// Box-Muller; one of the pair is dropped to keep the draw stateless.
inline double standard_normal(std::mt19937_64& rng) {
  const double radius = std::sqrt(-2.0 * std::log(uniform01_open_low(rng)));
  return radius * std::cos(2.0 * std::numbers::pi * uniform01(rng));
}

// Gamma(shape, 1) by Marsaglia and Tsang (2000); shape < 1 by boosting to shape + 1 and scaling
// by U^(1/shape).
inline double standard_gamma(double shape, std::mt19937_64& rng) {
  if (shape < 1.0) return standard_gamma(shape + 1.0, rng) * std::pow(uniform01_open_low(rng), 1.0 / shape);
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    const double x = standard_normal(rng);
    const double v = std::pow(1.0 + c * x, 3);
    if (v <= 0) continue;
    const double u = uniform01_open_low(rng);
    if (u < 1.0 - 0.0331 * x * x * x * x || std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}

}  // namespace loadgate::workload_detail
