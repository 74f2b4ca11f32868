#include "gate/statistics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace st = loadgate::gate_statistics;

TEST(MannWhitney, CompleteSeparationOfFiveGivesTheExactTableValue) {
  const std::vector<double> x{1, 2, 3, 4, 5}, y{6, 7, 8, 9, 10};
  const auto r = st::mann_whitney(x, y);
  EXPECT_TRUE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 0);
  EXPECT_NEAR(r.p_value, 2.0 / 252, 1e-12) << "2 / C(10, 5), scipy: 0.007937";
  EXPECT_NEAR(st::mann_whitney(y, x).p_value, 2.0 / 252, 1e-12) << "two-sided: symmetric";
}

TEST(MannWhitney, ThreeAgainstThreeCannotReachTenPercent) {
  const std::vector<double> x{1, 2, 3}, y{4, 5, 6};
  EXPECT_NEAR(st::mann_whitney(x, y).p_value, 0.1, 1e-12);
  EXPECT_NEAR(st::smallest_p_value(3, 3), 0.1, 1e-12);
  EXPECT_NEAR(st::smallest_p_value(4, 4), 2.0 / 70, 1e-12);
  EXPECT_NEAR(st::smallest_p_value(5, 5), 2.0 / 252, 1e-12);
}

// The exact p-value equals the share of all C(n1+n2, n1) relabellings whose U is at least as far
// from its mean as the observed one: enumerate them.
TEST(MannWhitney, ExactPValueMatchesAnEnumerationOfAllRelabellings) {
  const std::vector<double> x{0.3, 1.7, 2.2, 5.1, 0.9}, y{2.9, 3.3, 4.4, 6.0, 1.1, 7.5};
  std::vector<double> all = x;
  all.insert(all.end(), y.begin(), y.end());
  const auto observed = st::mann_whitney(x, y);
  const double centre = 0.5 * 5 * 6;
  std::vector<bool> pick(all.size(), false);
  std::fill(pick.begin(), pick.begin() + 5, true);
  int extreme = 0, total = 0;
  do {
    std::vector<double> a, b;
    for (std::size_t i = 0; i < all.size(); ++i) (pick[i] ? a : b).push_back(all[i]);
    double u = 0;
    for (const double ai : a)
      for (const double bi : b) u += ai > bi ? 1 : 0;
    extreme += std::abs(u - centre) >= std::abs(observed.u - centre) - 1e-9;
    ++total;
  } while (std::prev_permutation(pick.begin(), pick.end()));
  EXPECT_EQ(total, 462);
  EXPECT_TRUE(observed.exact);
  EXPECT_NEAR(observed.p_value, static_cast<double>(extreme) / total, 1e-12);
}

TEST(MannWhitney, TiesUseTheNormalApproximationWithTieAndContinuityCorrection) {
  // By hand: midranks 1.5 1.5 3.5 | 3.5 5.5 5.5, U = 0.5, var = 9/12 (7 − 18/30) = 4.8,
  // z = (4 − 0.5) / sqrt(4.8) = 1.5975, p = 0.11015 (scipy's asymptotic method agrees).
  const std::vector<double> x{1, 1, 2}, y{2, 3, 3};
  const auto r = st::mann_whitney(x, y);
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u, 0.5);
  EXPECT_NEAR(r.p_value, 0.11015, 5e-5);
}

TEST(MannWhitney, AllTiedOrEmptyMeansNoEvidence) {
  const std::vector<double> zeros(10, 0.0), none;
  EXPECT_DOUBLE_EQ(st::mann_whitney(zeros, zeros).p_value, 1);
  EXPECT_DOUBLE_EQ(st::mann_whitney(none, zeros).p_value, 1);
}

TEST(MannWhitney, LargeSamplesAgreeWithTheNormalApproximation) {
  std::vector<double> x, y;
  for (int i = 0; i < 60; ++i) x.push_back(i), y.push_back(i + 10.5);
  const auto r = st::mann_whitney(x, y);
  EXPECT_FALSE(r.exact);
  // x_i > y_j iff j <= i − 11: Σ_{i=11}^{59} (i − 10) = 1225 pairs.
  EXPECT_DOUBLE_EQ(r.u, 1225);
  const double z = (std::abs(1225 - 1800.0) - 0.5) / std::sqrt(3600.0 / 12 * 121);
  EXPECT_NEAR(r.p_value, 2 * (1 - st::normal_cdf(z)), 1e-12);
}

TEST(Normal, QuantileInvertsTheDistributionFunction) {
  EXPECT_NEAR(st::normal_quantile(0.975), 1.959963985, 1e-8);
  EXPECT_NEAR(st::normal_quantile(0.995), 2.575829304, 1e-8);
  EXPECT_NEAR(st::normal_quantile(0.001), -3.090232306, 1e-8);
  EXPECT_NEAR(st::normal_cdf(1.959963985), 0.975, 1e-9);
}

TEST(Random, IsSplitMix64AndRepeats) {
  st::random a{0}, b{0};
  EXPECT_EQ(a.next(), 0xe220a8397b1dcdafULL) << "the reference SplitMix64 sequence from seed 0";
  b.next();
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next(), b.next());
  st::random c{7};
  for (int i = 0; i < 1000; ++i) {
    EXPECT_LT(c.below(13), 13u);
    const double u = c.uniform();
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
}

TEST(Random, NormalDrawsHaveUnitVariance) {
  st::random rng{42};
  double sum = 0, squares = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    const double z = rng.normal();
    sum += z, squares += z * z;
  }
  EXPECT_NEAR(sum / n, 0, 0.03);
  EXPECT_NEAR(squares / n, 1, 0.05);
}
