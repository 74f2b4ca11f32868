#pragma once
// The generator behind every workload draw (task picks, think times, arrivals, adapters,
// prompts): xoshiro256** (Blackman and Vigna 2018), seeded by SplitMix64.
//
// Why not std::mt19937_64: its 2.5 KiB of state was a third of an idle virtual user's memory,
// and seeding it fills 312 words where the open model seeds one generator per arrival. Both
// are specified bit for bit (the std:: distributions are not, which is why every draw goes
// through the library's own functions), so a seed recorded in a result gives the same workload
// on every standard library; it gives another workload than loadgate's releases before this one.
// Satisfies std::uniform_random_bit_generator, so it works with the standard distributions too.
#include <bit>
#include <cstdint>
#include <limits>

namespace loadgate {

class random_engine {
 public:
  using result_type = std::uint64_t;

  // The four state words are SplitMix64's first four outputs from `seed`, as the authors advise.
  explicit random_engine(std::uint64_t seed = 0) noexcept;

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  result_type operator()() noexcept {
    const std::uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = std::rotl(s_[3], 45);
    return result;
  }

  bool operator==(const random_engine&) const = default;

 private:
  std::uint64_t s_[4];
};

}  // namespace loadgate
