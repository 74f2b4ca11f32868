#include "gate/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>
#include <vector>

#include "detail/random.hpp"

namespace loadgate::gate_statistics {

namespace {

struct ranked {
  std::vector<double> ranks;  // midranks, in the order x then y
  double tie_term = 0;        // Σ (t³ − t) over groups of ties
  bool ties = false;
};

ranked midranks(std::span<const double> x, std::span<const double> y) {
  std::vector<std::pair<double, std::size_t>> all;
  all.reserve(x.size() + y.size());
  for (std::size_t i = 0; i < x.size(); ++i) all.emplace_back(x[i], i);
  for (std::size_t i = 0; i < y.size(); ++i) all.emplace_back(y[i], x.size() + i);
  std::sort(all.begin(), all.end());
  ranked r;
  r.ranks.resize(all.size());
  for (std::size_t i = 0; i < all.size();) {
    std::size_t j = i;
    while (j < all.size() && all[j].first == all[i].first) ++j;
    const double rank = (static_cast<double>(i + j) + 1) / 2;  // mean of ranks i+1 .. j
    for (std::size_t k = i; k < j; ++k) r.ranks[all[k].second] = rank;
    const double t = static_cast<double>(j - i);
    if (j - i > 1) r.ties = true, r.tie_term += t * t * t - t;
    i = j;
  }
  return r;
}

// The null distribution of U as counts: the coefficients of the Gaussian binomial
// [n1+n2 choose n1]_q = Π_{i=1..n1} (1 − q^(n2+i)) / (1 − q^i).
std::vector<double> u_counts(std::size_t n1, std::size_t n2) {
  std::vector<double> c(n1 * n2 + 1, 0.0);
  c[0] = 1;
  for (std::size_t i = 1; i <= n1; ++i) {
    for (std::size_t k = c.size(); k-- > n2 + i;) c[k] -= c[k - n2 - i];  // × (1 − q^(n2+i))
    for (std::size_t k = i; k < c.size(); ++k) c[k] += c[k - i];         // ÷ (1 − q^i)
  }
  return c;
}

double exact_p(double u, std::size_t n1, std::size_t n2) {
  const auto counts = u_counts(n1, n2);
  double total = 0;
  for (const double c : counts) total += c;
  const double mn = static_cast<double>(n1 * n2);
  const auto tail_end = static_cast<std::size_t>(std::min(u, mn - u));  // the distribution is symmetric
  double tail = 0;
  for (std::size_t k = 0; k <= tail_end; ++k) tail += counts[k];
  return std::min(1.0, 2 * tail / total);
}

}  // namespace

mann_whitney_result mann_whitney(std::span<const double> x, std::span<const double> y) {
  mann_whitney_result out;
  if (x.empty() || y.empty()) return out;
  const auto r = midranks(x, y);
  const double n1 = static_cast<double>(x.size()), n2 = static_cast<double>(y.size()), n = n1 + n2;
  double rank_sum = 0;
  for (std::size_t i = 0; i < x.size(); ++i) rank_sum += r.ranks[i];
  out.u = rank_sum - n1 * (n1 + 1) / 2;
  if (!r.ties && n1 * n2 <= 2500) {
    out.exact = true;
    out.p_value = exact_p(out.u, x.size(), y.size());
    return out;
  }
  const double variance = n1 * n2 / 12 * ((n + 1) - r.tie_term / (n * (n - 1)));
  if (variance <= 0) return out;  // every value tied: no evidence of a difference
  const double z = std::max(0.0, std::abs(out.u - n1 * n2 / 2) - 0.5) / std::sqrt(variance);
  out.p_value = std::min(1.0, 2 * (1 - normal_cdf(z)));
  return out;
}

double smallest_p_value(std::size_t n1, std::size_t n2) {
  if (n1 == 0 || n2 == 0) return 1;
  // 2 / C(n1+n2, n1), in logarithms so that large samples do not overflow.
  const double log_choose = std::lgamma(static_cast<double>(n1 + n2) + 1) - std::lgamma(static_cast<double>(n1) + 1) -
                            std::lgamma(static_cast<double>(n2) + 1);
  return std::min(1.0, 2 * std::exp(-log_choose));
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::numbers::sqrt2); }

double normal_quantile(double p) {
  // Acklam's rational approximation (relative error 1.2e-9), then one Halley step on erfc.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01,  -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  if (p <= 0) return -INFINITY;
  if (p >= 1) return INFINITY;
  double x;
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - 0.02425) {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double q = std::sqrt(-2 * std::log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double e = normal_cdf(x) - p;
  const double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

std::uint64_t random::next() {
  const auto z = detail::splitmix64(state_);
  state_ += detail::golden_gamma;
  return z;
}

double random::uniform() { return detail::uniform01(*this); }

double random::normal() { return detail::standard_normal(*this); }

std::size_t random::below(std::size_t n) { return static_cast<std::size_t>(detail::below(*this, n)); }

}  // namespace loadgate::gate_statistics
