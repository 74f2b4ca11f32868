#pragma once
// Independent, reproducible random streams from one scenario seed: each user (or arrival) gets
// its own generator, so what it does does not depend on threads or timing.
#include <cstdint>

namespace loadgate::engine {

// SplitMix64's finaliser: consecutive inputs give unrelated outputs.
constexpr std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

enum class stream : std::uint64_t { user = 1, arrival = 2, schedule = 3 };

constexpr std::uint64_t stream_seed(std::uint64_t seed, stream s, std::uint64_t index) {
  return mix(mix(seed ^ (static_cast<std::uint64_t>(s) << 56)) + index);
}

}  // namespace loadgate::engine
