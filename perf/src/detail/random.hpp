#pragma once
// Every random draw of the library, from the raw 64-bit output of a generator (random_engine for
// workloads, the gate's SplitMix64 for the bootstrap). Both are specified bit for bit here, but
// the std:: distributions are not, so with them a seed recorded in a result would give another
// workload on another standard library.
#include <cmath>
#include <cstdint>
#include <numbers>

namespace loadgate::detail {

inline constexpr std::uint64_t golden_gamma = 0x9e3779b97f4a7c15ULL;

// SplitMix64 (Steele, Lea and Flood 2014) of x: consecutive inputs give unrelated outputs. Seeds
// streams (engine/seeding.hpp) and drives the gate's bootstrap generator.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += golden_gamma;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Uniform in [0, 1): the top 53 bits, every double of that form equally likely.
template <class Generator>
double uniform01(Generator& g) {
  return static_cast<double>(g() >> 11) * 0x1.0p-53;
}

// Uniform in (0, 1], safe to take the logarithm of.
template <class Generator>
double uniform01_open_low(Generator& g) {
  return 1.0 - uniform01(g);
}

// Uniform in [0, n), n > 0: Lemire's multiply-shift, bias below n / 2^64.
__extension__ using uint128 = unsigned __int128;  // __extension__: no -Wpedantic warning
template <class Generator>
std::uint64_t below(Generator& g, std::uint64_t n) {
  return static_cast<std::uint64_t>((static_cast<uint128>(g()) * n) >> 64);
}

template <class Generator>
double standard_exponential(Generator& g) {
  return -std::log(uniform01_open_low(g));
}

// Box-Muller; one of the pair is dropped to keep the draw stateless.
template <class Generator>
double standard_normal(Generator& g) {
  const double radius = std::sqrt(-2.0 * std::log(uniform01_open_low(g)));
  return radius * std::cos(2.0 * std::numbers::pi * uniform01(g));
}

// Gamma(shape, 1) by Marsaglia and Tsang (2000); shape < 1 by boosting to shape + 1 and scaling
// by U^(1/shape).
template <class Generator>
double standard_gamma(double shape, Generator& g) {
  if (shape < 1.0) return standard_gamma(shape + 1.0, g) * std::pow(uniform01_open_low(g), 1.0 / shape);
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    const double x = standard_normal(g);
    const double v = std::pow(1.0 + c * x, 3);
    if (v <= 0) continue;
    const double u = uniform01_open_low(g);
    if (u < 1.0 - 0.0331 * x * x * x * x || std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}

}  // namespace loadgate::detail
