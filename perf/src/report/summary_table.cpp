#include "loadgate/summary_table.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "detail/format_number.hpp"

namespace loadgate {
namespace {

std::string millis(std::int64_t us) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", static_cast<double>(us) / 1000.0);
  return buffer;
}

using detail::format_number;

using row = std::vector<std::string>;

row stats_row(const std::string& name, const request_stats& s, double seconds) {
  const auto& h = s.latency();
  return {name,
          std::to_string(s.count()),
          std::to_string(s.failures()),
          format_number(100.0 * s.failure_rate(), "%.2f"),
          format_number(seconds > 0 ? static_cast<double>(s.count()) / seconds : 0.0, "%.1f"),
          millis(h.min()),
          format_number(h.mean() / 1000.0, "%.2f"),
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

// "-" when nothing was recorded: an empty histogram has no percentiles.
std::string millis_at(const histogram& h, double percentile) {
  return h.empty() ? "-" : millis(h.value_at_percentile(percentile));
}

row llm_row(const std::string& name, const llm::llm_stats& s, double seconds) {
  const auto per_second = [seconds](double n) { return format_number(seconds > 0 ? n / seconds : 0.0, "%.1f"); };
  return {name,
          millis_at(s.ttft(), 50),
          millis_at(s.ttft(), 95),
          millis_at(s.ttft(), 99),
          millis_at(s.tpot(), 50),
          millis_at(s.tpot(), 95),
          millis_at(s.inter_token_gap(), 95),
          per_second(static_cast<double>(s.output_tokens_total())),
          per_second(static_cast<double>(s.met_slo())),
          millis_at(s.ttft_minus_server_ttft(), 50),
          millis_at(s.ttft_minus_server_ttft(), 99)};
}

// TTFT, TPOT and token throughput by request name; the last two columns are what the client saw
// on top of the server's own TTFT (network, proxies, the generator itself).
std::string llm_section(const result& r, double seconds) {
  std::vector<row> rows{{"LLM", "TTFT p50", "p95", "p99", "TPOT p50", "p95", "gap p95", "out tok/s", "goodput/s",
                         "client-server TTFT p50", "p99"}};
  for (const auto& [name, stats] : r.llm) rows.push_back(llm_row(name, stats, seconds));
  std::string out = "\n" + render(rows) + "(ms; goodput: requests/s meeting every per-request SLO";
  if (!r.llm.empty() && !r.llm.begin()->second.slo().empty()) out += ", SLO " + nlohmann::json(r.llm.begin()->second.slo()).dump();
  return out + ")\n";
}

// The most requested adapters, cold (first request, or the server loaded it) against warm.
std::string adapter_section(const result& r) {
  constexpr std::size_t shown = 10;
  auto all = r.adapters.by_adapter();
  std::vector<std::pair<std::string, llm::adapter_summary>> sorted(all.begin(), all.end());
  const auto requests = [](const llm::adapter_summary& a) { return a.cold.requests + a.warm.requests; };
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const auto& a, const auto& b) { return requests(a.second) > requests(b.second); });
  std::vector<row> rows{{"adapter", "requests", "failures", "cold", "cold TTFT p50", "warm TTFT p50",
                         "cold p50 ms", "warm p50 ms"}};
  for (std::size_t i = 0; i < sorted.size() && i < shown; ++i) {
    const auto& [id, a] = sorted[i];
    rows.push_back({id.empty() ? "(base model)" : id, std::to_string(requests(a)),
                    std::to_string(a.cold.failures + a.warm.failures), std::to_string(a.cold.requests),
                    millis_at(a.cold.ttft, 50), millis_at(a.warm.ttft, 50), millis_at(a.cold.latency, 50),
                    millis_at(a.warm.latency, 50)});
  }
  std::string out = "\n" + render(rows);
  if (sorted.size() > shown) out += "(" + std::to_string(sorted.size() - shown) + " more adapters in result.json)\n";
  return out;
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
  if (!r.llm.empty()) out += llm_section(r, seconds);
  if (!r.adapters.by_adapter().empty()) out += adapter_section(r);
  return out;
}

}  // namespace loadgate
