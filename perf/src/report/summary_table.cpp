#include "loadgate/summary_table.hpp"

#include <cstdio>
#include <string_view>
#include <vector>

namespace loadgate {
namespace {

std::string millis(std::int64_t us) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", static_cast<double>(us) / 1000.0);
  return buffer;
}

std::string number(double value, const char* format) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

using row = std::vector<std::string>;

row stats_row(const std::string& name, const request_stats& s, double seconds) {
  const auto& h = s.latency();
  return {name,
          std::to_string(s.count()),
          std::to_string(s.failures()),
          number(100.0 * s.failure_rate(), "%.2f"),
          number(seconds > 0 ? static_cast<double>(s.count()) / seconds : 0.0, "%.1f"),
          millis(h.min()),
          number(h.mean() / 1000.0, "%.2f"),
          millis(h.value_at_percentile(50)),
          millis(h.value_at_percentile(90)),
          millis(h.value_at_percentile(95)),
          millis(h.value_at_percentile(99)),
          millis(h.value_at_percentile(99.9)),
          millis(h.max())};
}

std::string render(const std::vector<row>& rows) {
  std::vector<std::size_t> widths(rows.front().size(), 0);
  for (const auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) widths[c] = std::max(widths[c], r[c].size());
  std::string out;
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < r.size(); ++c) {
      const std::string pad(widths[c] - r[c].size(), ' ');
      out += c == 0 ? r[c] + pad : "  " + pad + r[c];  // names left-aligned, numbers right-aligned
    }
    out += '\n';
  }
  return out;
}

std::string failure_breakdown(const request_stats& total) {
  std::string out;
  for (auto kind : all_failure_kinds) {
    if (total.failures(kind) == 0) continue;
    out += (out.empty() ? "failures by kind: " : ", ") + std::string{to_string(kind)} + " " +
           std::to_string(total.failures(kind));
  }
  return out.empty() ? out : out + '\n';
}

}  // namespace

std::string summary_table(const result& r) {
  const double seconds = std::chrono::duration<double>(r.info.measured_duration).count();
  std::vector<row> rows{{"name", "requests", "failures", "fail%", "req/s", "min ms", "mean ms", "p50 ms", "p90 ms",
                         "p95 ms", "p99 ms", "p99.9 ms", "max ms"}};
  for (const auto& [name, stats] : r.requests) rows.push_back(stats_row(name, stats, seconds));
  const auto total = r.total();
  if (r.requests.size() != 1) rows.push_back(stats_row("(total)", total, seconds));
  std::string out = render(rows) + failure_breakdown(total);
  if (r.info.model == load_model::open) {
    out += "open model: " + std::to_string(r.info.late_arrivals) + " late arrivals, " +
           std::to_string(r.info.dropped_arrivals) + " dropped (max_in_flight reached)\n";
  }
  return out;
}

}  // namespace loadgate
