#include "loadgate/arrival_process.hpp"

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "detail/strict_json.hpp"
#include "detail/random.hpp"

namespace loadgate {

arrival_process arrival_process::gamma(double burstiness) {
  if (!(burstiness > 0) || !std::isfinite(burstiness))
    throw configuration_error{"arrival_process::gamma(burstiness): burstiness must be > 0 (1 is Poisson)"};
  return arrival_process{kind::gamma, burstiness};
}

std::chrono::nanoseconds arrival_process::next_gap(double rate, random_engine& rng) const {
  constexpr auto never = std::chrono::nanoseconds::max();
  if (!(rate > 0)) return never;
  // A gap in units of the mean gap 1/rate: mean 1 for every kind.
  double gap = 1.0;
  switch (kind_) {
    case kind::constant: break;
    case kind::poisson: gap = detail::standard_exponential(rng); break;
    case kind::gamma: gap = detail::standard_gamma(burstiness_, rng) / burstiness_; break;
  }
  const double ns = gap / rate * 1e9;
  return ns < 9e18 ? std::chrono::nanoseconds{std::llround(ns)} : never;
}

// {"type":"constant"} | {"type":"poisson"} | {"type":"gamma","burstiness":b}
void to_json(nlohmann::json& j, const arrival_process& a) {
  switch (a.type()) {
    case arrival_process::kind::constant: j = {{"type", "constant"}}; return;
    case arrival_process::kind::poisson: j = {{"type", "poisson"}}; return;
    case arrival_process::kind::gamma: j = {{"type", "gamma"}, {"burstiness", a.burstiness()}}; return;
  }
}

void from_json(const nlohmann::json& j, arrival_process& a) {
  using namespace detail;
  constexpr std::string_view where = "arrivals";
  const auto type = type_field(j, where);
  if (type == "constant") {
    detail::reject_unknown_fields(j, where, {"type"});
    a = arrival_process::constant();
  } else if (type == "poisson") {
    detail::reject_unknown_fields(j, where, {"type"});
    a = arrival_process::poisson();
  } else if (type == "gamma") {
    detail::reject_unknown_fields(j, where, {"type", "burstiness"});
    a = arrival_process::gamma(number_field(j, where, "burstiness"));
  } else {
    throw configuration_error{"arrivals: unknown type '" + type + "'; allowed: constant, poisson, gamma"};
  }
}

}  // namespace loadgate
