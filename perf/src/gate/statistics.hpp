#pragma once
// The statistics the gate rests on, small enough to check by hand: Mann–Whitney U, the normal
// distribution, and a seeded random generator that gives the same sequence on every platform
// (std::uniform_int_distribution does not), so that verdicts are reproducible.
#include <cstddef>
#include <cstdint>
#include <span>

namespace loadgate::gate_statistics {

struct mann_whitney_result {
  double u = 0;        // U of the first sample: pairs (x, y) with x > y, ties counting 1/2
  double p_value = 1;  // two-sided
  bool exact = false;  // exact null distribution (no ties, small samples) or normal approximation
};

// Two-sided Mann–Whitney U test. Exact when there are no ties and n1·n2 <= 2500; otherwise the
// normal approximation with tie correction and continuity correction (scipy.stats.mannwhitneyu's
// "asymptotic" method). p = 1 when either sample is empty or every value is tied.
mann_whitney_result mann_whitney(std::span<const double> x, std::span<const double> y);

// The smallest two-sided p-value any data can give with these sample sizes: 2 / C(n1+n2, n1).
// A test that cannot reach alpha can never call a change significant (ASV checks this first).
double smallest_p_value(std::size_t n1, std::size_t n2);

double normal_cdf(double z);
double normal_quantile(double p);  // inverse of normal_cdf, p in (0, 1)

// SplitMix64: passes BigCrush, one 64-bit word of state, identical everywhere.
class random {
 public:
  explicit random(std::uint64_t seed) : state_{seed} {}
  std::uint64_t next();
  std::uint64_t operator()() { return next(); }  // a generator for the library's draws (detail/random.hpp)
  std::size_t below(std::size_t n);  // uniform in [0, n)
  double uniform();  // [0, 1)
  double normal();   // standard normal (Box–Muller)

 private:
  std::uint64_t state_;
};

}  // namespace loadgate::gate_statistics
