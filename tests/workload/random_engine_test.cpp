// The workload generator: the published algorithm bit for bit (a recorded seed must give the same
// workload everywhere), small enough for an idle virtual user, and usable with <random>.
#include "loadgate/random_engine.hpp"

#include <array>
#include <concepts>
#include <random>

#include <gtest/gtest.h>

namespace {

static_assert(std::uniform_random_bit_generator<loadgate::random_engine>);

// Its whole state is four words: an idle user holds one (std::mt19937_64 held 2.5 KiB).
static_assert(sizeof(loadgate::random_engine) == 32);

TEST(RandomEngine, FollowsXoshiro256StarStarSeededBySplitMix64) {
  // Computed with an independent implementation of the published xoshiro256** and SplitMix64
  // (state = SplitMix64's first four outputs from the seed: e220a8397b1dcdaf, 6e789e6aa1b965f4, ...).
  loadgate::random_engine zero{0};
  EXPECT_EQ(zero(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(zero(), 0xbf6e1f784956452aULL);
  EXPECT_EQ(zero(), 0x1a5f849d4933e6e0ULL);
  loadgate::random_engine answer{42};
  EXPECT_EQ(answer(), 0x15780b2e0c2ec716ULL);
  EXPECT_EQ(answer(), 0x6104d9866d113a7eULL);
  EXPECT_EQ(answer(), 0xae17533239e499a1ULL);
}

TEST(RandomEngine, TheSameSeedGivesTheSameStreamAndNeighbouringSeedsUnrelatedOnes) {
  loadgate::random_engine a{7}, b{7}, c{8};
  int equal_to_neighbour = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a();
    ASSERT_EQ(x, b());
    equal_to_neighbour += x == c();
  }
  EXPECT_EQ(equal_to_neighbour, 0);
  EXPECT_EQ(a, b);
}

TEST(RandomEngine, EachBitIsSetHalfTheTime) {
  // 100,000 draws: each bit's count of ones has a standard deviation of 158; 1,000 is over 6 of them.
  loadgate::random_engine rng{20261203};
  std::array<int, 64> ones{};
  constexpr int draws = 100'000;
  for (int i = 0; i < draws; ++i) {
    const auto x = rng();
    for (int bit = 0; bit < 64; ++bit) ones[bit] += static_cast<int>((x >> bit) & 1U);
  }
  for (int bit = 0; bit < 64; ++bit) EXPECT_NEAR(ones[bit], draws / 2, 1000) << "bit " << bit;
}

TEST(RandomEngine, DrivesTheStandardDistributions) {
  loadgate::random_engine rng{3};
  std::uniform_int_distribution<int> die{1, 6};
  std::array<int, 7> faces{};
  for (int i = 0; i < 60'000; ++i) ++faces[die(rng)];
  for (int face = 1; face <= 6; ++face) EXPECT_NEAR(faces[face], 10'000, 500) << "face " << face;
}

}  // namespace
