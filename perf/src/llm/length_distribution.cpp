#include "loadgate/llm/length_distribution.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "detail/random.hpp"

namespace loadgate::llm {
namespace {

void check_range(unsigned low, unsigned high) {
  if (low < 1 || low > high)
    throw configuration_error{"length range [" + std::to_string(low) + ", " + std::to_string(high) +
                              "] is invalid: need 1 <= min <= max"};
}


}  // namespace

length_distribution length_distribution::fixed(unsigned n) {
  check_range(n, n);
  length_distribution d;
  d.mean_ = n;
  d.low_ = d.high_ = n;
  return d;
}

length_distribution length_distribution::uniform(unsigned low, unsigned high) {
  check_range(low, high);
  length_distribution d;
  d.kind_ = kind::uniform;
  d.mean_ = (static_cast<double>(low) + high) / 2;
  d.low_ = low;
  d.high_ = high;
  return d;
}

length_distribution length_distribution::clipped_normal(double mean, double stddev, unsigned low, unsigned high) {
  check_range(low, high);
  if (!(stddev >= 0) || !std::isfinite(stddev) || !std::isfinite(mean))
    throw configuration_error{"clipped normal length needs a finite mean and a finite stddev >= 0"};
  length_distribution d;
  d.kind_ = kind::clipped_normal;
  d.mean_ = mean;
  d.stddev_ = stddev;
  d.low_ = low;
  d.high_ = high;
  return d;
}

unsigned length_distribution::next(random_engine& rng) const {
  switch (kind_) {
    case kind::fixed: return low_;
    case kind::uniform: return low_ + static_cast<unsigned>(loadgate::detail::below(rng, std::uint64_t{high_} - low_ + 1));
    case kind::clipped_normal: {
      const double x = std::round(mean_ + stddev_ * loadgate::detail::standard_normal(rng));
      return static_cast<unsigned>(std::clamp(x, static_cast<double>(low_), static_cast<double>(high_)));
    }
  }
  return low_;
}

void to_json(nlohmann::json& j, const length_distribution& d) {
  switch (d.type()) {
    case length_distribution::kind::fixed: j = {{"type", "fixed"}, {"n", d.low()}}; return;
    case length_distribution::kind::uniform: j = {{"type", "uniform"}, {"min", d.low()}, {"max", d.high()}}; return;
    case length_distribution::kind::clipped_normal:
      j = {{"type", "clipped_normal"}, {"mean", d.mean()}, {"stddev", d.stddev()}, {"min", d.low()}, {"max", d.high()}};
      return;
  }
}

void from_json(const nlohmann::json& j, length_distribution& d) {
  const auto type = j.at("type").get<std::string>();
  if (type == "fixed") {
    d = length_distribution::fixed(j.at("n").get<unsigned>());
  } else if (type == "uniform") {
    d = length_distribution::uniform(j.at("min").get<unsigned>(), j.at("max").get<unsigned>());
  } else if (type == "clipped_normal") {
    d = length_distribution::clipped_normal(j.at("mean").get<double>(), j.at("stddev").get<double>(),
                                            j.at("min").get<unsigned>(), j.at("max").get<unsigned>());
  } else {
    throw configuration_error{"unknown length distribution \"" + type + "\" (use fixed, uniform, clipped_normal)"};
  }
}

}  // namespace loadgate::llm
