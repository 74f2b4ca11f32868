#include "loadgate/random_engine.hpp"

#include "detail/random.hpp"

namespace loadgate {

random_engine::random_engine(std::uint64_t seed) noexcept {
  for (std::uint64_t i = 0; i < 4; ++i) s_[i] = detail::splitmix64(seed + i * detail::golden_gamma);
}

}  // namespace loadgate
