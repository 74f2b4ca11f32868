#include "loadgate/summary_table.hpp"

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <vector>

#include "detail/format_number.hpp"
#include "detail/text_table.hpp"

namespace loadgate {
namespace {

std::string millis(std::int64_t us) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", static_cast<double>(us) / 1000.0);
  return buffer;
}

using detail::format_number;

using row = std::vector<std::string>;

row stats_row(const std::string& name, const tally& s, double seconds) {
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

std::string render(const std::vector<row>& rows) { return detail::render_table(rows); }  // names left, numbers right

std::string failure_breakdown(const tally& total) {
  std::string out;
  for (auto kind : all_failure_kinds) {
    if (total.failures(kind) == 0) continue;
    out += (out.empty() ? "failures by kind: " : ", ") + std::string{to_string(kind)} + " " +
           std::to_string(total.failures(kind));
  }
  return out.empty() ? out : out + '\n';
}

// Why requests failed, by name and kind: the count and the distinct causes kept (at most
// tally::max_examples), so that "stream_error 37" comes with the server's own words.
std::string failure_causes(const result& r) {
  std::string out;
  for (const auto& name : r.request_names()) {
    const auto t = r.total({.request = name});
    for (const auto& [kind, causes] : t.examples()) {
      out += "  " + name + " " + std::string{to_string(kind)} + " (" + std::to_string(t.failures(kind)) + "):\n";
      for (const auto& cause : causes) out += "    " + cause + "\n";
    }
  }
  return out.empty() ? out : "failure causes (up to " + std::to_string(tally::max_examples) + " distinct per kind):\n" + out;
}

// "-" when nothing was recorded: an empty histogram has no percentiles.
std::string millis_at(const histogram& h, double percentile) {
  return h.empty() ? "-" : millis(h.value_at_percentile(percentile));
}

row llm_row(const std::string& name, const tally& s, double seconds) {
  const auto per_second = [seconds](double n) { return format_number(seconds > 0 ? n / seconds : 0.0, "%.1f"); };
  return {name,
          millis_at(s.of(measure::ttft), 50),
          millis_at(s.of(measure::ttft), 95),
          millis_at(s.of(measure::ttft), 99),
          millis_at(s.of(measure::tpot), 50),
          millis_at(s.of(measure::tpot), 95),
          millis_at(s.of(measure::inter_token_gap), 95),
          per_second(static_cast<double>(s.output_tokens_total())),
          per_second(static_cast<double>(s.met_slo())),
          millis_at(s.of(measure::ttft_minus_server_ttft), 50),
          millis_at(s.of(measure::ttft_minus_server_ttft), 99)};
}

// The names with LLM requests: those filed under an adapter (or the base model).
std::vector<std::string> llm_request_names(const result& r) {
  std::vector<std::string> names;
  for (const auto& [key, t] : r.settled())
    if (key.use != adapter_use::none && (names.empty() || names.back() != key.request)) names.push_back(key.request);
  return names;
}

// TTFT, TPOT and token throughput by request name; the last two columns are what the client saw
// on top of the server's own TTFT (network, proxies, the generator itself).
std::string llm_section(const result& r, const std::vector<std::string>& names, double seconds) {
  std::vector<row> rows{{"LLM", "TTFT p50", "p95", "p99", "TPOT p50", "p95", "gap p95", "out tok/s", "goodput/s",
                         "client-server TTFT p50", "p99"}};
  for (const auto& name : names) rows.push_back(llm_row(name, r.total({.request = name}), seconds));
  std::string out = "\n" + render(rows) + "(ms; goodput: requests/s meeting every per-request SLO";
  if (r.info.per_request_slo != "{}" && !r.info.per_request_slo.empty()) out += ", SLO " + r.info.per_request_slo;
  return out + ")\n";
}

// The most requested adapters, cold (first request, or the server loaded it) against warm.
std::string adapter_section(const result& r) {
  constexpr std::size_t shown = 10;
  struct adapter_row {
    std::string id;
    tally cold, warm;
  };
  std::vector<adapter_row> all;
  for (const auto& id : r.adapters())
    all.push_back({id, r.total({.adapter = id, .use = adapter_use::cold}), r.total({.adapter = id, .use = adapter_use::warm})});
  const auto requests = [](const adapter_row& a) { return a.cold.count() + a.warm.count(); };
  std::stable_sort(all.begin(), all.end(), [&](const auto& a, const auto& b) { return requests(a) > requests(b); });
  std::vector<row> rows{{"adapter", "requests", "failures", "cold", "cold TTFT p50", "warm TTFT p50",
                         "cold p50 ms", "warm p50 ms"}};
  for (std::size_t i = 0; i < all.size() && i < shown; ++i) {
    const auto& a = all[i];
    rows.push_back({a.id.empty() ? "(base model)" : a.id, std::to_string(requests(a)),
                    std::to_string(a.cold.failures() + a.warm.failures()), std::to_string(a.cold.count()),
                    millis_at(a.cold.of(measure::ttft), 50), millis_at(a.warm.of(measure::ttft), 50),
                    millis_at(a.cold.latency(), 50), millis_at(a.warm.latency(), 50)});
  }
  std::string out = "\n" + render(rows);
  if (all.size() > shown) out += "(" + std::to_string(all.size() - shown) + " more adapters in result.json)\n";
  return out;
}

}  // namespace

std::string summary_table(const result& r) {
  const double seconds = r.seconds();
  std::vector<row> rows{{"name", "requests", "failures", "fail%", "req/s", "min ms", "mean ms", "p50 ms", "p90 ms",
                         "p95 ms", "p99 ms", "p99.9 ms", "max ms"}};
  const auto names = r.request_names();
  for (const auto& name : names) rows.push_back(stats_row(name, r.total({.request = name}), seconds));
  const auto total = r.total();
  if (names.size() != 1) rows.push_back(stats_row("(total)", total, seconds));
  std::string out = render(rows) + failure_breakdown(total) + failure_causes(r);
  if (r.info.model == load_model::open) {
    out += "open model: " + std::to_string(r.info.late_arrivals) + " late arrivals, " +
           std::to_string(r.info.dropped_arrivals) + " dropped (max_in_flight reached)\n";
  }
  if (const auto llm_names = llm_request_names(r); !llm_names.empty()) out += llm_section(r, llm_names, seconds);
  if (!r.adapters().empty()) out += adapter_section(r);
  return out;
}

}  // namespace loadgate
