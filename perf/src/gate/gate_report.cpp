#include "loadgate/gate/gate_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "detail/format_number.hpp"
#include "detail/text_table.hpp"

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
  std::vector<std::vector<std::string>> rows{{"metric", "old", "new", "change"}};
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
    rows.push_back({m.label, before ? format_value(unit, before->value) : "-", format_value(unit, m.value), change});
  }
  using detail::align;
  return detail::render_table(rows, {align::left, align::left, align::left, align::left});
}

std::string format_baseline(const baseline& b) {
  std::string out = "  scenario     " + b.scenario + "\n  profile      " + b.profile + "\n  created      " + b.created +
                    "\n  git commit   " + b.git_commit.value_or("-") + "\n  fingerprint  " + b.fingerprint +
                    "\n  runs         " + std::to_string(b.runs.size()) + "\n\n";
  std::vector<std::vector<std::string>> rows{{"metric", "value", "samples", "per run"}};
  for (const auto& [key, m] : b.metrics) {
    const auto unit = unit_from_name(m.unit);
    std::string repetitions;
    for (const double r : m.repetitions) repetitions += (repetitions.empty() ? "" : ", ") + format_value(unit, r);
    rows.push_back({m.label, format_value(unit, m.value), std::to_string(m.samples), repetitions});
  }
  using detail::align;
  const auto table = detail::render_table(rows, {align::left, align::left, align::right, align::left});
  for (std::size_t start = 0; start < table.size();) {  // indented under the provenance
    const auto end = table.find('\n', start);
    out += "  " + table.substr(start, end - start + 1);
    start = end + 1;
  }
  return out;
}

}  // namespace loadgate
