#include "loadgate/gate/slo_interval.hpp"

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "gate/blocks.hpp"
#include "gate/bootstrap.hpp"
#include "gate/statistics.hpp"
#include "loadgate/gate/gate_json.hpp"

namespace loadgate {

namespace {

// Every run's steady windows cut into blocks, pooled; the windows' merged tally; and whether every
// run had windows at all (a result without them is judged from its whole-run tally).
struct pooled_blocks {
  std::vector<metric_tally> blocks;
  metric_tally total;
  bool windowed = true;
};

pooled_blocks pool(const metric& m, const std::vector<result>& runs, const slo_interval_options& o) {
  pooled_blocks p;
  for (const auto& r : runs) {
    const auto windows = window_tallies(m, r);
    if (!windows) {
      p.windowed = false;
      p.total.merge(whole_run_tally(m, r));
      continue;
    }
    const auto range = gate_detail::steady_windows(r, *windows, o.warmup);
    // One window per block at least: the interval is for a point of a search, where a block per
    // second matters more than the autocorrelation the gate's two-window minimum guards against.
    const auto k = gate_detail::block_windows(m, *windows, range, 1);
    for (auto& b : gate_detail::make_blocks(*windows, range, k)) {
      p.total.merge(b);
      p.blocks.push_back(std::move(b));
    }
  }
  if (!p.windowed) p.blocks.clear();
  return p;
}

double untransformed(const metric& m, double t) { return m.scale() == change_scale::absolute ? t : std::exp(t); }

}  // namespace

std::string_view to_string(slo_call c) {
  switch (c) {
    case slo_call::met: return "met";
    case slo_call::missed: return "missed";
    case slo_call::too_close: return "too close";
  }
  return "?";
}

slo_estimate estimate(const slo& s, const std::vector<result>& runs, const slo_interval_options& o) {
  slo_estimate e{s};
  e.runs = runs.size();
  const auto& m = s.metric;
  auto pooled = pool(m, runs, o);
  if (pooled.windowed && pooled.total.count == 0 && pooled.total.distribution.count() == 0) {
    // No steady windows (a run shorter than its warm-up): judge the whole runs rather than nothing.
    pooled = {};
    pooled.windowed = false;
    for (const auto& r : runs) pooled.total.merge(whole_run_tally(m, r));
  }
  const auto observed = observe(m, pooled.total);
  e.samples = observed.samples;
  if (observed.samples == 0) {
    e.note = observed.note.empty() && !runs.empty() ? unavailable_reason(m, runs.front()) : observed.note;
    e.call = slo_call::missed;
    return e;
  }
  e.value = e.low = e.high = observed.value;
  const double center = gate_detail::transformed(m, observed.value);
  double variance = 0;
  if (pooled.blocks.size() >= 2) {
    e.blocks = pooled.blocks.size();
    variance += gate_detail::bootstrap_value(m, pooled.blocks, o.replicates, o.seed).variance;
  }
  if (m.scale() == change_scale::relative) variance += o.run_noise * o.run_noise / static_cast<double>(runs.size());
  if (std::isfinite(center)) {
    const double z = gate_statistics::normal_quantile(1 - o.alpha / 2);
    const double half = z * std::sqrt(variance);
    e.low = untransformed(m, center - half);
    e.high = untransformed(m, center + half);
  }
  if (m.scale() == change_scale::absolute) e.low = std::max(e.low, 0.0);
  const bool low_holds = s.holds(e.low), high_holds = s.holds(e.high);
  e.call = low_holds && high_holds ? slo_call::met : (!low_holds && !high_holds ? slo_call::missed : slo_call::too_close);
  return e;
}

slo_call combined_call(const std::vector<slo_estimate>& estimates) {
  bool all_met = true;
  for (const auto& e : estimates) {
    if (e.call == slo_call::missed) return slo_call::missed;
    all_met = all_met && e.call == slo_call::met;
  }
  return all_met ? slo_call::met : slo_call::too_close;
}

std::string slo_estimate::message() const {
  const auto unit = slo.metric.unit();
  const std::string limit = "limit " + std::string{to_string(slo.op)} + " " + format_value(unit, slo.limit);
  if (samples == 0) return slo.metric.label() + ": no samples" + (note.empty() ? "" : " (" + note + ")") + ", " + limit;
  return slo.metric.label() + " = " + format_value(unit, value) + " [" + format_value(unit, low) + ", " +
         format_value(unit, high) + "], " + limit + ": " + std::string{to_string(call)} + " (" + std::to_string(runs) +
         (runs == 1 ? " run, " : " runs, ") + std::to_string(samples) + " samples)";
}

void to_json(nlohmann::json& j, const slo_estimate& e) {
  j = {{"slo", e.slo},         {"value", e.value},   {"low", e.low},   {"high", e.high},
       {"samples", e.samples}, {"runs", e.runs},     {"blocks", e.blocks},
       {"call", std::string{to_string(e.call)}}, {"note", e.note}, {"description", e.slo.description()}};
}

void from_json(const nlohmann::json& j, slo_estimate& e) {
  e.slo = j.at("slo").get<slo>();
  e.value = j.at("value").get<double>();
  e.low = j.at("low").get<double>();
  e.high = j.at("high").get<double>();
  e.samples = j.at("samples").get<std::uint64_t>();
  e.runs = j.at("runs").get<std::size_t>();
  e.blocks = j.value("blocks", std::size_t{0});
  const auto call = j.at("call").get<std::string>();
  if (call == "met") e.call = slo_call::met;
  else if (call == "missed") e.call = slo_call::missed;
  else if (call == "too close") e.call = slo_call::too_close;
  else throw std::runtime_error{"unknown SLO call '" + call + "' (met, missed or too close)"};
  e.note = j.value("note", std::string{});
}

}  // namespace loadgate
