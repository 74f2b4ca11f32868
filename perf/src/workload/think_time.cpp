#include "loadgate/think_time.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "detail/strict_json.hpp"
#include "detail/random.hpp"

namespace loadgate {

using std::chrono::nanoseconds;

std::chrono::nanoseconds think_time::next(nanoseconds task_time, random_engine& rng) const {
  switch (kind_) {
    case kind::none: return nanoseconds{0};
    case kind::constant: return low_;
    case kind::between: {
      const double span = static_cast<double>((high_ - low_).count());
      return low_ + nanoseconds{std::llround(span * detail::uniform01(rng))};
    }
    case kind::constant_pacing: return std::max(nanoseconds{0}, low_ - task_time);
  }
  return nanoseconds{0};
}

namespace {
void require_non_negative(nanoseconds d, const char* what) {
  if (d < nanoseconds{0}) throw configuration_error{std::string{what} + " must not be negative"};
}
}  // namespace

think_time constant(nanoseconds wait) {
  require_non_negative(wait, "constant think time");
  think_time t;
  t.kind_ = think_time::kind::constant;
  t.low_ = t.high_ = wait;
  return t;
}

think_time between(nanoseconds low, nanoseconds high) {
  require_non_negative(low, "between(low, high) think time: low");
  if (high < low) throw configuration_error{"between(low, high) think time: high must be >= low"};
  think_time t;
  t.kind_ = think_time::kind::between;
  t.low_ = low;
  t.high_ = high;
  return t;
}

think_time constant_pacing(nanoseconds pacing) {
  require_non_negative(pacing, "constant_pacing think time");
  think_time t;
  t.kind_ = think_time::kind::constant_pacing;
  t.low_ = t.high_ = pacing;
  return t;
}

think_time constant_throughput(double tasks_per_second) {
  if (!(tasks_per_second > 0) || !std::isfinite(tasks_per_second))
    throw configuration_error{"constant_throughput(tasks_per_second): tasks_per_second must be > 0"};
  return constant_pacing(nanoseconds{std::llround(1e9 / tasks_per_second)});
}

// {"type":"none"} | {"type":"constant","wait_ms":t} | {"type":"between","min_ms":a,"max_ms":b}
// | {"type":"constant_pacing","pacing_ms":t}; reading also takes
// {"type":"constant_throughput","tasks_per_second":n}, written back as constant_pacing.
void to_json(nlohmann::json& j, const think_time& t) {
  using detail::to_unit;
  using ms = std::chrono::milliseconds;
  switch (t.type()) {
    case think_time::kind::none: j = {{"type", "none"}}; return;
    case think_time::kind::constant: j = {{"type", "constant"}, {"wait_ms", to_unit<ms>(t.low())}}; return;
    case think_time::kind::between:
      j = {{"type", "between"}, {"min_ms", to_unit<ms>(t.low())}, {"max_ms", to_unit<ms>(t.high())}};
      return;
    case think_time::kind::constant_pacing: j = {{"type", "constant_pacing"}, {"pacing_ms", to_unit<ms>(t.low())}}; return;
  }
}

void from_json(const nlohmann::json& j, think_time& t) {
  using namespace detail;
  using ms = std::chrono::milliseconds;
  constexpr std::string_view where = "think_time";
  const auto type = type_field(j, where);
  const auto ms_field = [&](const char* name) { return from_unit<ms>(number_field(j, where, name), where, name); };
  if (type == "none") {
    detail::reject_unknown_fields(j, where, {"type"});
    t = think_time{};
  } else if (type == "constant") {
    detail::reject_unknown_fields(j, where, {"type", "wait_ms"});
    t = constant(ms_field("wait_ms"));
  } else if (type == "between") {
    detail::reject_unknown_fields(j, where, {"type", "min_ms", "max_ms"});
    t = between(ms_field("min_ms"), ms_field("max_ms"));
  } else if (type == "constant_pacing") {
    detail::reject_unknown_fields(j, where, {"type", "pacing_ms"});
    t = constant_pacing(ms_field("pacing_ms"));
  } else if (type == "constant_throughput") {
    detail::reject_unknown_fields(j, where, {"type", "tasks_per_second"});
    t = constant_throughput(number_field(j, where, "tasks_per_second"));
  } else {
    throw configuration_error{"think_time: unknown type '" + type +
                              "'; allowed: none, constant, between, constant_pacing, constant_throughput"};
  }
}

}  // namespace loadgate
