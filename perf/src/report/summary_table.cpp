#include "loadgate/summary_table.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string_view>
#include <vector>

#include "detail/environment.hpp"
#include "detail/format_number.hpp"
#include "detail/text_table.hpp"
#include "loadgate/gate/gate_report.hpp"
#include "report/figures.hpp"
#include "report/tables.hpp"

namespace loadgate {
namespace {

std::string millis(std::int64_t us) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", static_cast<double>(us) / 1000.0);
  return buffer;
}

using detail::format_number;

using row = std::vector<std::string>;

// "-" when nothing was recorded: an empty histogram has no percentiles.
std::string millis_at(const histogram& h, double percentile) {
  return h.empty() ? "-" : millis(h.value_at_percentile(percentile));
}


// Red on a terminal that wants colour: a cell a reader must not miss.
std::string alert(std::string text, const table_style& style) {
  return style.colour ? "\x1b[31m" + text + "\x1b[0m" : text;
}

row stats_row(const std::string& name, const tally& s, double seconds, const table_style& style) {
  const auto& h = s.latency();
  const auto failures = std::to_string(s.failures());
  return {name,
          std::to_string(s.count()),
          s.failures() > 0 ? alert(failures, style) : failures,
          format_number(100.0 * s.failure_rate(), "%.2f"),
          format_number(seconds > 0 ? static_cast<double>(s.count()) / seconds : 0.0, "%.1f"),
          millis_at(h, 50),
          millis_at(h, 90),
          millis_at(h, 95),
          millis_at(h, 99),
          h.empty() ? "-" : millis(h.max()),
          millis_at(s.of(measure::ttft), 95)};
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

// TTFT, TPOT and token throughput by request name; the last two columns are what the client saw
// on top of the server's time from receipt to the first token (network, proxies, the generator).
std::string llm_section(const result& r, const std::vector<std::string>& names, double seconds) {
  std::vector<row> rows{{"LLM", "TTFT p50", "p95", "p99", "TPOT p50", "p95", "gap p95", "out tok/s", "goodput/s",
                         "client-server TTFT p50", "p99"}};
  for (const auto& name : names) rows.push_back(llm_row(name, r.total({.request = name}), seconds));
  std::string out = "\n" + render(rows) + "(ms; goodput: requests/s meeting every per-request SLO";
  if (r.info.per_request_slo != "{}" && !r.info.per_request_slo.empty()) out += ", SLO " + r.info.per_request_slo;
  return out + ")\n";
}

// The most requested adapters, with cold (first request, or the server loaded it) against warm.
std::string adapter_section(const result& r, const table_style& style) {
  constexpr std::size_t shown = 10;
  const auto all = report::by_adapter(r);
  const double seconds = r.seconds();
  std::vector<row> rows{{"adapter", "requests", "failures", "req/s", "p50 ms", "p90 ms", "p95 ms", "p99 ms", "max ms",
                         "TTFT p95", "cold", "cold p50", "warm p50"}};
  for (std::size_t i = 0; i < all.size() && i < shown; ++i) {
    const auto& a = all[i];
    auto cells = stats_row(report::adapter_label(a.id), a.all, seconds, style);
    cells.erase(cells.begin() + 3);  // fail%: the failures say it per adapter
    cells.push_back(std::to_string(a.cold.count()));
    cells.push_back(millis_at(a.cold.latency(), 50));
    cells.push_back(millis_at(a.warm.latency(), 50));
    rows.push_back(std::move(cells));
  }
  std::string out = "\n" + render(rows);
  if (all.size() > shown) out += "(" + std::to_string(all.size() - shown) + " more adapters in loadgate_adapters.csv)\n";
  std::uint64_t unknown = 0;
  // Successes only: a failed request carries no load signal from any server.
  for (const auto& a : all) unknown += a.unknown.successes();
  if (unknown > 0)
    out += "(" + std::to_string(unknown) + " successful requests neither cold nor warm: the server does not say when it loads an adapter "
           "(LoRAX and vLLM send no x-adapter-load-time); only each adapter's first request is counted cold)\n";
  return out;
}

// What the server said of itself (its /metrics, scraped every second), one row per metric.
std::string server_section(const result& r) {
  auto table = report::server_table(r);
  std::string out = "\nserver metrics from " + r.info.scrape_url + ": " + std::to_string(r.info.scrapes) + " scrapes, " +
                    std::to_string(r.info.scrape_failures) + " failed";
  if (!r.info.scrape_error.empty()) out += " (first: " + r.info.scrape_error + ")";
  out += "\n";
  if (table->rows.size() == 1) return out + "(no reading named a metric loadgate knows; see --scrape-series)\n";
  table->rows.front().front() = "server";  // the first column named as the other sections name theirs
  return out + render(table->rows);
}

}  // namespace

std::string summary_table(const result& r, const table_style& style) {
  const double seconds = r.seconds();
  std::vector<row> rows{{"name", "requests", "failures", "fail%", "req/s", "p50 ms", "p90 ms", "p95 ms", "p99 ms",
                         "max ms", "TTFT p95"}};
  const auto names = r.request_names();
  for (const auto& name : names) rows.push_back(stats_row(name, r.total({.request = name}), seconds, style));
  const auto total = r.total();
  if (names.size() != 1) rows.push_back(stats_row("(total)", total, seconds, style));
  if (total.of(measure::ttft).empty())  // no streams: no TTFT column
    for (auto& row : rows) row.pop_back();
  std::string out = render(rows) + failure_breakdown(total) + failure_causes(r);
  for (const auto& state : unjudgeable_states(r.info)) out += state + "\n";
  if (r.info.insecure) out += "the target's certificate was NOT verified (--insecure)\n";
  if (r.info.model == load_model::open) {
    out += "open model: " + std::to_string(r.info.planned_arrivals) + " arrivals planned, " +
           std::to_string(r.info.late_arrivals) + " late (sent over 1 ms after their time), " +
           std::to_string(r.info.dropped_arrivals) + " dropped (max_in_flight reached)\n";
  }
  if (const auto llm_names = report::llm_request_names(r); !llm_names.empty()) out += llm_section(r, llm_names, seconds);
  if (!r.adapters().empty()) out += adapter_section(r, style);
  if (!r.info.scrape_url.empty()) out += server_section(r);
  return out;
}

std::string gate_table(const gate_decision& d, const table_style& style) {
  std::vector<row> rows{{"metric", "baseline", "current", "change [95 % interval]", "verdict"}};
  for (const auto& v : d.metrics) {
    const auto unit = v.metric.unit();
    const bool judged = v.baseline_samples > 0 && v.current_samples > 0;
    std::string verdict{to_string(v.verdict)};
    if (style.colour) {
      const char* colour = v.verdict == verdict::regression     ? "\x1b[31m"
                           : v.verdict == verdict::inconclusive ? "\x1b[33m"
                                                                : "\x1b[32m";
      verdict = colour + verdict + "\x1b[0m";
    }
    rows.push_back({v.metric.label(), judged ? format_value(unit, v.baseline_value) : "-",
                    judged ? format_value(unit, v.current_value) : "-", judged ? format_change(v) : "-", verdict});
  }
  return render(rows);
}

bool colour_wanted(int fd) {
  if (::isatty(fd) != 1) return false;
  if (const auto no_colour = detail::env_value("NO_COLOR"); no_colour && !no_colour->empty()) return false;
  const auto term = detail::env_value("TERM");
  return !term || *term != "dumb";
}

}  // namespace loadgate
