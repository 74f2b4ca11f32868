#pragma once
// Draws that give the same numbers on every standard library (std::uniform_*_distribution does
// not promise that), so a seed reproduces a workload anywhere.
#include <cstdint>
#include <random>

namespace loadgate::llm::detail {

// Uniform in [0, 1) with 53 random bits.
inline double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// Uniform in [0, n), n > 0; Lemire's multiply-shift, bias below 2^-64·n.
__extension__ using uint128 = unsigned __int128;  // __extension__: no -Wpedantic warning
inline std::uint64_t below(std::mt19937_64& rng, std::uint64_t n) {
  return static_cast<std::uint64_t>((static_cast<uint128>(rng()) * n) >> 64);
}

}  // namespace loadgate::llm::detail
