#include "loadgate/arrival_process.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "draw_statistics.hpp"
#include "loadgate/error.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

constexpr std::size_t draws = 200'000;

test::moments gap_moments(const arrival_process& a, double rate, std::uint64_t seed) {
  loadgate::random_engine rng{seed};
  return test::draw_moments(draws, [&] { return static_cast<double>(a.next_gap(rate, rng).count()); });
}

TEST(ArrivalProcess, ConstantGapIsOneOverRate) {
  loadgate::random_engine rng{1};
  const auto a = arrival_process::constant();
  EXPECT_EQ(a.next_gap(200, rng), 5ms);
  EXPECT_EQ(a.next_gap(3, rng), 333'333'333ns);
  EXPECT_EQ(a.next_gap(0.5, rng), 2s);
}

TEST(ArrivalProcess, NoRateMeansNoArrival) {
  loadgate::random_engine rng{1};
  EXPECT_EQ(arrival_process::poisson().next_gap(0, rng), nanoseconds::max());
  EXPECT_EQ(arrival_process::constant().next_gap(-1, rng), nanoseconds::max());
}

TEST(ArrivalProcess, PoissonGapsAreExponential) {
  const auto m = gap_moments(arrival_process::poisson(), 50, 5);
  EXPECT_NEAR(m.mean, 20e6, 0.01 * 20e6);  // 1 / rate
  EXPECT_NEAR(m.cv(), 1.0, 0.02);
  // Memorylessness shows in the tail: P(gap > mean) = 1/e.
  loadgate::random_engine rng{6};
  std::size_t above = 0;
  for (std::size_t i = 0; i < draws; ++i) above += arrival_process::poisson().next_gap(50, rng) > 20ms;
  EXPECT_NEAR(static_cast<double>(above) / draws, std::exp(-1.0), 0.005);
}

class GammaArrivals : public ::testing::TestWithParam<double> {};

TEST_P(GammaArrivals, MeanIsOneOverRateAndCvSquaredIsOneOverBurstiness) {
  const double burstiness = GetParam();
  const auto m = gap_moments(arrival_process::gamma(burstiness), 100, 9);
  EXPECT_NEAR(m.mean, 10e6, 0.02 * 10e6);
  EXPECT_NEAR(m.cv() * m.cv(), 1.0 / burstiness, 0.05 / burstiness);
}

// Below 1 is burstier than Poisson (the shape < 1 path), 1 is Poisson, above 1 more regular.
INSTANTIATE_TEST_SUITE_P(Burstiness, GammaArrivals, ::testing::Values(0.25, 0.5, 1.0, 4.0));

TEST(ArrivalProcess, RateMayChangeBetweenCalls) {
  const auto slow = gap_moments(arrival_process::poisson(), 10, 4);
  const auto fast = gap_moments(arrival_process::poisson(), 40, 4);
  EXPECT_NEAR(slow.mean / fast.mean, 4.0, 1e-6);  // same draws, scaled by the rate (to the ns)
}

TEST(ArrivalProcess, SameSeedGivesTheSameSequence) {
  const auto a = arrival_process::gamma(0.5);
  const auto draw = [&](std::uint64_t seed) {
    loadgate::random_engine rng{seed};
    std::vector<nanoseconds> v;
    for (int i = 0; i < 100; ++i) v.push_back(a.next_gap(20, rng));
    return v;
  };
  EXPECT_EQ(draw(21), draw(21));
  EXPECT_NE(draw(21), draw(22));
}

TEST(ArrivalProcess, BurstinessMustBePositive) {
  EXPECT_THROW(arrival_process::gamma(0), configuration_error);
  EXPECT_THROW(arrival_process::gamma(-1), configuration_error);
  EXPECT_EQ(arrival_process::gamma(2).burstiness(), 2.0);
}

}  // namespace
}  // namespace loadgate
