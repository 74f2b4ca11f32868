#include "loadgate/gate/gate_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "detail/format_number.hpp"

namespace loadgate {

namespace {

using detail::format_number;

std::string p_value_text(double p) { return p < 0.001 ? "p<0.001" : format_number(p, "p=%.3f"); }

std::string threshold_text(const metric_verdict& v) {
  return v.scale == change_scale::relative ? format_number(v.threshold * 100, "%g %%") : format_number(v.threshold * 100, "%g pp");
}

metric_unit unit_from_name(const std::string& name) {
  if (name == "fraction") return metric_unit::fraction;
  if (name == "per_second") return metric_unit::per_second;
  return metric_unit::microseconds;
}

std::string pad(std::string s, std::size_t width) {
  // Widths count bytes; "µ" takes two, so pad one more per µ to keep columns straight.
  std::size_t extra = 0;
  for (std::size_t at = s.find("µ"); at != std::string::npos; at = s.find("µ", at + 1)) ++extra;
  if (s.size() < width + extra) s.append(width + extra - s.size(), ' ');
  return s;
}

}  // namespace

std::string format_change(const metric_verdict& v) {
  if (v.scale == change_scale::relative)
    return format_number(v.change * 100, "%+.1f %%") + " [" + format_number(v.low * 100, "%+.1f") + ", " + format_number(v.high * 100, "%+.1f") + "]";
  return format_number(v.change * 100, "%+.2f pp") + " [" + format_number(v.low * 100, "%+.2f") + ", " + format_number(v.high * 100, "%+.2f") + "]";
}

std::string format_verdict(const metric_verdict& v) {
  const auto unit = v.metric.unit();
  std::string line = v.metric.label() + ": ";
  if (v.baseline_samples == 0 || v.current_samples == 0) {
    line += std::string{"→ "} + std::string{to_string(v.verdict)};
  } else {
    line += format_value(unit, v.baseline_value) + " → " + format_value(unit, v.current_value) + ", " +
            format_change(v) + ", " + p_value_text(v.p_value) + " → " + std::string{to_string(v.verdict)} +
            " (threshold " + threshold_text(v) + ")";
  }
  if (v.decided_at_bound)
    line += "; decided at the run bound: a significant change of at least half the threshold is a regression";
  if (!v.note.empty()) line += "; " + v.note;
  return line;
}

std::string format_decision(const gate_decision& d) {
  const auto runs = std::to_string(d.runs) + " of at most " + std::to_string(d.max_runs) + " runs";
  std::string text = d.rerun() ? "baseline gate inconclusive after " + runs + ": another run is wanted"
                     : d.passed() ? "baseline gate passed after " + runs
                                  : "baseline gate FAILED after " + runs;
  for (const auto& v : d.metrics) text += "\n  " + format_verdict(v);
  return text;
}

std::string format_baseline_change(const baseline* old, const baseline& updated) {
  std::size_t width = 6;
  for (const auto& [key, m] : updated.metrics) width = std::max(width, m.label.size());
  std::string table = pad("metric", width) + "  " + pad("old", 12) + "  " + pad("new", 12) + "  change\n";
  for (const auto& [key, m] : updated.metrics) {
    const auto unit = unit_from_name(m.unit);
    const baseline_metric* before = nullptr;
    if (old) {
      const auto it = old->metrics.find(key);
      if (it != old->metrics.end()) before = &it->second;
    }
    std::string change = "new";
    if (before && unit == metric_unit::fraction) change = format_number((m.value - before->value) * 100, "%+.2f pp");
    else if (before && before->value > 0) change = format_number((m.value / before->value - 1) * 100, "%+.1f %%");
    else if (before) change = "-";
    table += pad(m.label, width) + "  " + pad(before ? format_value(unit, before->value) : "-", 12) + "  " +
             pad(format_value(unit, m.value), 12) + "  " + change + "\n";
  }
  return table;
}

}  // namespace loadgate
