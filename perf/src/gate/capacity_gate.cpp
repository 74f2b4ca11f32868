#include "loadgate/gate/capacity_gate.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "detail/format_number.hpp"

namespace loadgate {

namespace {

using detail::format_number;

std::string signed_percent(double fraction) { return format_number(fraction * 100, "%+.1f"); }

}  // namespace

capacity_comparison compare_capacity(const capacity_estimate& baseline, const capacity_estimate& current, double threshold,
                                     double decision_point) {
  capacity_comparison c;
  c.by = current.by;
  c.baseline = baseline.value;
  c.current = current.value;
  c.threshold = threshold;
  const auto head = "capacity " + format_load(baseline.by, baseline.value) + " → " + format_load(current.by, current.value);
  if (baseline.by != current.by) {
    c.message = "capacity by " + std::string{to_string(current.by)} + " cannot be compared with a baseline by " +
                std::string{to_string(baseline.by)};
    return c;
  }
  if (!baseline.found) {
    c.message = head + ": the baseline found no load that met the SLOs, so there is nothing to compare with";
    return c;
  }
  if (!current.found) {
    c.verdict = verdict::regression;
    c.change = c.low = c.high = -1;
    c.message = head + ": no load met the SLOs → regression";
    return c;
  }
  c.change = current.middle() / baseline.middle() - 1;
  // The range rests on the points decided outright: a point settled at the repeat bound could
  // have gone either way, so one such flip must not turn noise into a regression.
  c.low = current.certain_low() / baseline.certain_high() - 1;  // certain_high may be +inf: open below
  c.high = current.certain_high() / baseline.certain_low() - 1;  // certain_low may be 0: open above
  if (c.high <= 0 && c.change <= -threshold * decision_point) c.verdict = verdict::regression;
  else if (c.low >= 0 && c.change >= threshold * decision_point) c.verdict = verdict::improvement;
  else c.verdict = verdict::pass;
  c.message = head + ", " + signed_percent(c.change) + " % [" + (c.low <= -1 ? std::string{"-100.0"} : signed_percent(c.low)) + ", " +
              (std::isfinite(c.high) ? signed_percent(c.high) : std::string{"+inf"}) + "] → " +
              std::string{to_string(c.verdict)} + " (threshold " + format_number(threshold * 100, "%.0f") + " %)";
  return c;
}

void to_json(nlohmann::json& j, const capacity_comparison& c) {
  j = {{"verdict", std::string{to_string(c.verdict)}}, {"by", std::string{to_string(c.by)}}, {"baseline", c.baseline},
       {"current", c.current}, {"change", c.change}, {"low", c.low}, {"high", std::isfinite(c.high) ? nlohmann::json(c.high) : nlohmann::json(nullptr)},
       {"threshold", c.threshold}, {"message", c.message}};
}

}  // namespace loadgate
