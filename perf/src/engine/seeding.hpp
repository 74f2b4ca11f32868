#pragma once
// Independent, reproducible random streams from one scenario seed: each user (or arrival) gets
// its own generator, so what it does does not depend on threads or timing.
#include <cstdint>

#include "detail/random.hpp"

namespace loadgate::engine {

using detail::splitmix64;

enum class stream : std::uint64_t { user = 1, arrival = 2, schedule = 3 };

constexpr std::uint64_t stream_seed(std::uint64_t seed, stream s, std::uint64_t index) {
  return splitmix64(splitmix64(seed ^ (static_cast<std::uint64_t>(s) << 56)) + index);
}

}  // namespace loadgate::engine
