#include "loadgate/gate/slo.hpp"

#include <cstdio>

#include "loadgate/error.hpp"
#include "loadgate/gate/gate_json.hpp"

namespace loadgate {

namespace {

bool holds(double actual, comparison op, double limit) {
  switch (op) {
    case comparison::less: return actual < limit;
    case comparison::less_equal: return actual <= limit;
    case comparison::greater: return actual > limit;
    case comparison::greater_equal: return actual >= limit;
  }
  return false;
}

std::string_view limit_kind(metric_unit u) {
  switch (u) {
    case metric_unit::microseconds: return "a duration (450ms)";
    case metric_unit::fraction: return "a rate (1_percent or loadgate::percent(1))";
    case metric_unit::per_second: return "a number per second (50.0)";
    case metric_unit::number: return "a plain number (50.0)";
  }
  return "?";
}

}  // namespace

slo make_slo(metric m, comparison op, double limit, metric_unit limit_unit) {
  // A plain number is the C++ overload's per-second limit; for a server metric it is its own unit.
  if (m.unit() == metric_unit::number && limit_unit == metric_unit::per_second) limit_unit = metric_unit::number;
  if (m.unit() != limit_unit)
    throw configuration_error{"the SLO on " + m.label() + " needs " + std::string{limit_kind(m.unit())} +
                              " as its limit, not " + std::string{limit_kind(limit_unit)}};
  return {std::move(m), op, limit};
}

bool slo::holds(double value) const { return loadgate::holds(value, op, limit); }

std::string slo::description() const {
  return metric.label() + " " + std::string{to_string(op)} + " " + format_value(metric.unit(), limit);
}

std::string slo_check::message() const {
  const auto unit = slo.metric.unit();
  const std::string limit = "limit " + std::string{to_string(slo.op)} + " " + format_value(unit, slo.limit);
  std::string m;
  if (actual.samples == 0) {
    m = slo.metric.label() + ": no samples" + (actual.note.empty() ? "" : " (" + actual.note + ")") + ", " + limit;
  } else {
    m = slo.metric.label() + " = " + format_value(unit, actual.value) + ", " + limit + ", " +
        std::to_string(actual.samples) + (actual.samples == 1 ? " sample" : " samples");
    if (!actual.detail.empty()) m += " (" + actual.detail + ")";
  }
  if (baseline) m += ", baseline " + format_value(unit, *baseline);
  return m;
}

slo_check check(const slo& s, const result& r, const result* baseline) {
  slo_check c{s, observe(s.metric, r), std::nullopt, false};
  c.met = c.actual.samples > 0 && holds(c.actual.value, s.op, s.limit);
  if (baseline) {
    const auto b = observe(s.metric, *baseline);
    if (b.samples > 0) c.baseline = b.value;
  }
  return c;
}

}  // namespace loadgate
