#include "report/tables.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

#include <fmt/format.h>

#include "loadgate/gate/gate_report.hpp"
#include "loadgate/gate/gate_json.hpp"
#include "loadgate/gate/knee.hpp"
#include "loadgate/time_breakdown.hpp"
#include "report/figures.hpp"

namespace loadgate::report {
namespace {

using row = std::vector<std::string>;

std::string ms_cell(const histogram& h, double percent) {
  const auto v = ms_at(h, percent);
  return v ? fmt::format("{:.2f}", *v) : "-";
}
std::string ms_cell(double value) { return fmt::format("{:.2f}", value); }
std::string max_cell(const histogram& h) { return h.empty() ? "-" : ms_cell(ms(static_cast<double>(h.max()))); }

std::optional<report_table> gate_table(const run_evidence& e) {
  if (!e.gate) return std::nullopt;
  const auto& g = *e.gate;
  report_table t{"Against the baseline", "", {}};
  t.note = fmt::format("Baseline {}{}; {}.", g.baseline_file.string(),
                       g.baseline_created.empty() ? "" : " recorded " + g.baseline_created,
                       g.decision ? fmt::format("run {} of at most {}", g.run, g.decision->max_runs)
                                  : "baseline " + std::string{to_string(g.action)} + ": " + g.message);
  if (!g.decision) return t;
  t.rows.push_back({"metric", "baseline", "current", "change [95 % interval]", "p", "verdict"});
  for (const auto& v : g.decision->metrics) {
    const auto unit = v.metric.unit();
    const bool judged = v.baseline_samples > 0 && v.current_samples > 0;
    t.rows.push_back({v.metric.label(), judged ? format_value(unit, v.baseline_value) : "-",
                      judged ? format_value(unit, v.current_value) : "-", judged ? format_change(v) : "-",
                      judged ? (v.p_value < 0.001 ? "<0.001" : fmt::format("{:.3f}", v.p_value)) : "-",
                      std::string{to_string(v.verdict)} + (v.note.empty() ? "" : " (" + v.note + ")")});
  }
  return t;
}

std::optional<report_table> slo_table(const std::vector<slo_check>& slos) {
  if (slos.empty()) return std::nullopt;
  report_table t{"SLOs", "", {{"SLO", "value", "limit", "samples", "verdict"}}};
  for (const auto& c : slos) {
    const auto unit = c.slo.metric.unit();
    t.rows.push_back({c.slo.metric.label(), c.actual.samples ? format_value(unit, c.actual.value) : "no samples",
                      std::string{to_string(c.slo.op)} + " " + format_value(unit, c.slo.limit),
                      std::to_string(c.actual.samples), c.met ? "met" : "FAILED"});
  }
  return t;
}

report_table requests_table(const result& r) {
  report_table t{"Requests", "Latency of successful requests, ms.",
                 {{"request", "requests", "failures", "fail %", "req/s", "p50", "p90", "p95", "p99", "p99.9", "max",
                   "TTFT p95"}}};
  const auto add = [&](const std::string& name, const tally& s) {
    const auto& h = s.latency();
    t.rows.push_back({name, std::to_string(s.count()), std::to_string(s.failures()),
                      fmt::format("{:.2f}", 100 * s.failure_rate()), fmt::format("{:.1f}", per_second(s.count(), r)),
                      ms_cell(h, 50), ms_cell(h, 90), ms_cell(h, 95), ms_cell(h, 99), ms_cell(h, 99.9), max_cell(h),
                      ms_cell(s.of(measure::ttft), 95)});
  };
  const auto named = by_request(r);
  for (const auto& [name, s] : named) add(name, s);
  if (named.size() != 1) add("all", r.total());
  return t;
}

std::optional<report_table> llm_table(const result& r) {
  const auto names = llm_request_names(r);
  if (names.empty()) return std::nullopt;
  report_table t{"LLM",
                 "ms. TTFT: first content event − start (the send, or the intended start in the open model); TPOT: (last − first) / (tokens − 1); gap: every inter-token "
                 "gap pooled." +
                     (r.info.per_request_slo == "{}" ? std::string{} : " Goodput: requests/s that met " + r.info.per_request_slo + "."),
                 {{"request", "TTFT p50", "TTFT p95", "TTFT p99", "TPOT p50", "TPOT p95", "gap p95", "output tok/s",
                   "goodput/s"}}};
  for (const auto& name : names) {
    const auto s = r.total({.request = name});
    t.rows.push_back({name, ms_cell(s.of(measure::ttft), 50), ms_cell(s.of(measure::ttft), 95),
                      ms_cell(s.of(measure::ttft), 99), ms_cell(s.of(measure::tpot), 50), ms_cell(s.of(measure::tpot), 95),
                      ms_cell(s.of(measure::inter_token_gap), 95),
                      fmt::format("{:.1f}", per_second(s.output_tokens_total(), r)),
                      fmt::format("{:.1f}", per_second(s.met_slo(), r))});
  }
  return t;
}

std::optional<report_table> breakdown_table(const run_evidence& e) {
  report_table t{"Where the time went",
                 "Mean ms of the requests that carried the server's timings; the parts add up to the mean end-to-end "
                 "time. Queue excludes the adapter load it includes on the server; prefill = server TTFT − server queue; decode = server "
                 "total − server TTFT.",
                 {{"request", "client + network", "queue", "adapter load", "prefill", "decode", "total"}}};
  const bool gated = e.against.has_value();
  if (gated) t.rows[0].push_back("baseline total");
  const result baseline_pool = gated ? e.against->merged() : result{};
  for (const auto& [name, s] : by_request(e.current)) {
    const auto b = breakdown_of(s);
    if (!b) continue;
    row out{name, ms_cell(b->client_network_ms), ms_cell(b->queue_ms), ms_cell(b->adapter_load_ms),
            ms_cell(b->prefill_ms), ms_cell(b->decode_ms), ms_cell(b->total_ms())};
    if (gated) {
      const auto before = breakdown_of(baseline_pool.total({.request = name}));
      out.push_back(before ? ms_cell(before->total_ms()) : "-");
    }
    t.rows.push_back(std::move(out));
  }
  if (t.rows.size() == 1) return std::nullopt;
  return t;
}

std::optional<report_table> adapters_table(const result& r) {
  constexpr std::size_t shown = 20;
  const auto all = by_adapter(r);
  if (all.empty()) return std::nullopt;
  report_table t{"Adapters",
                 "ms. Cold: the run's first request to the adapter, or the server said it loaded it for the request; "
                 "warm: the server said it did not (a server that says neither, as LoRAX, leaves the rest unknown).",
                 {{"adapter", "requests", "failures", "req/s", "p50", "p95", "p99", "cold", "cold p50", "warm p50",
                   "TTFT p95"}}};
  for (std::size_t i = 0; i < all.size() && i < shown; ++i) {
    const auto& a = all[i];
    t.rows.push_back({adapter_label(a.id), std::to_string(a.all.count()), std::to_string(a.all.failures()),
                      fmt::format("{:.1f}", per_second(a.all.count(), r)), ms_cell(a.all.latency(), 50),
                      ms_cell(a.all.latency(), 95), ms_cell(a.all.latency(), 99), std::to_string(a.cold.count()),
                      ms_cell(a.cold.latency(), 50), ms_cell(a.warm.latency(), 50), ms_cell(a.all.of(measure::ttft), 95)});
  }
  if (all.size() > shown) t.note += fmt::format(" The {} most requested of {}; all in loadgate_adapters.csv.", shown, all.size());
  return t;
}

std::optional<report_table> failures_table(const result& r) {
  report_table t{"Failures", "", {{"request", "kind", "count", "causes (first seen)"}}};
  for (const auto& [name, s] : by_request(r)) {
    for (const auto kind : all_failure_kinds) {
      if (s.failures(kind) == 0) continue;
      std::string causes;
      if (const auto it = s.examples().find(kind); it != s.examples().end())
        for (const auto& c : it->second) causes += (causes.empty() ? "" : "; ") + c;
      t.rows.push_back({name, std::string{to_string(kind)}, std::to_string(s.failures(kind)), causes});
    }
  }
  if (t.rows.size() == 1) return std::nullopt;
  return t;
}

// Staged runs only: constant load has no knee to look for (loadgate/gate/knee.hpp).
std::optional<report_table> knees_table(const result& r) {
  if (!has_load_stages(r)) return std::nullopt;
  const auto k = find_knees(r);
  const std::string latency = k.latency.found ? "latency leaves its floor at " + users_text(k.latency.load)
                                              : "latency shows no knee";
  const std::string throughput = k.throughput.found ? "throughput stops growing at " + users_text(k.throughput.load)
                                                    : "throughput shows no knee";
  report_table t{"Knees",
                 fmt::format("On {} load levels, {}; {} (two-segment fit, criteria in perf/src/gate/README.md).",
                             k.levels.size(), latency, throughput),
                 {{"curve", "knee", "evidence"}}};
  t.rows.push_back({"p50 latency", k.latency.found ? users_text(k.latency.load) : "none", k.latency.why});
  t.rows.push_back({"throughput", k.throughput.found ? users_text(k.throughput.load) : "none", k.throughput.why});
  return t;
}

}  // namespace

std::optional<report_table> server_table(const result& r) {
  if (r.info.scrape_url.empty()) return std::nullopt;
  auto note = fmt::format("Scraped from {} every second: {} scrapes, {} failed.", r.info.scrape_url, r.info.scrapes,
                          r.info.scrape_failures);
  if (!r.info.scrape_error.empty()) note += " First failure: " + r.info.scrape_error + ".";
  report_table t{"Server metrics", std::move(note), {{"metric", "readings", "min", "mean", "max", "last"}}};
  for (const auto& [name, f] : server_metrics(r))
    t.rows.push_back({name, std::to_string(f.readings), fmt::format("{:g}", f.min), fmt::format("{:.4g}", f.mean),
                      fmt::format("{:g}", f.max), fmt::format("{:g}", f.last)});
  return t;
}

std::string users_text(double load) {
  return std::abs(load - std::round(load)) < 0.05 ? fmt::format("{:.0f} users", load) : fmt::format("{:.1f} users", load);
}

std::string utc_text(std::int64_t unix_ms) {
  if (unix_ms == 0) return "-";
  const std::time_t t = unix_ms / 1000;
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return buffer;
}

std::string state_of(const run_evidence& e) {
  std::string state = "completed";
  if (const auto unjudgeable = unjudgeable_states(e.current.info); !unjudgeable.empty()) {
    state = unjudgeable.front();  // never gated, so no verdict to tell
  } else if (e.gate && e.gate->decision) {
    const auto& d = *e.gate->decision;
    const bool regressed =
        std::any_of(d.metrics.begin(), d.metrics.end(), [](const auto& v) { return v.verdict == verdict::regression; });
    state = d.rerun()    ? "gate inconclusive, another run wanted"
            : d.passed() ? "gate passed"
            : regressed  ? "REGRESSION"
                         : "gate FAILED: a metric could not be judged";
  } else if (e.gate) {
    state = "baseline " + std::string{to_string(e.gate->action)};
  }
  for (const auto& c : e.slos)
    if (!c.met) return state + ", SLO FAILED";
  return state;
}

// How many shards the run was split into, and how late each began after the shared start.
std::string shards_text(const run_info& i) {
  if (!i.shard_starts.empty() && i.shared_start_unix_ms == 0)
    return fmt::format(", {} {} without a shared start", i.shard_starts.size() == 1 ? "shard" : "shards merged:",
                       to_string(shards_of(i.shard_starts)));
  if (i.shard_starts.size() == 1) return fmt::format(", shard {} after the shared start", skews_text(i.shard_starts));
  if (!i.shard_starts.empty())
    return fmt::format(", {} shards merged ({} after the shared start)", i.shard_starts.size(), skews_text(i.shard_starts));
  return i.shards > 1 ? fmt::format(", {} shards merged", i.shards) : std::string{};
}

std::string run_description(const result& r) {
  constexpr std::string_view insecure_note = " (its certificate NOT verified: --insecure)";
  const auto& i = r.info;
  const auto total = r.total();
  const std::string model = i.model == load_model::open
                                ? "open model (arrivals)"
                                : "closed model, " + std::to_string(i.peak_users) + " users at peak";
  return fmt::format("Target {}{}, started {}, {:.1f} s measured ({:.1f} s planned), {}, seed {}, {} threads{}. "
                     "{} requests, {} failed ({:.2f} %), {:.1f} req/s. Load generator: event-loop lag p99 {:.2f} ms, "
                     "busiest thread {:.0f} % CPU.",
                     i.target.empty() ? "-" : i.target, i.insecure ? insecure_note : "", utc_text(i.started_unix_ms),
                     r.seconds(), std::chrono::duration<double>(i.planned_duration).count(), model, i.seed, i.threads,
                     shards_text(i), total.count(), total.failures(), 100 * total.failure_rate(),
                     r.requests_per_second(), std::chrono::duration<double, std::milli>(i.loop_lag_p99).count(),
                     100 * i.thread_cpu_max);
}

std::vector<report_table> tables_of(const run_evidence& e) {
  std::vector<report_table> out;
  const auto add = [&out](std::optional<report_table> t) {
    if (t) out.push_back(std::move(*t));
  };
  add(gate_table(e));
  add(slo_table(e.slos));
  add(requests_table(e.current));
  add(llm_table(e.current));
  add(breakdown_table(e));
  add(knees_table(e.current));
  add(adapters_table(e.current));
  add(server_table(e.current));
  add(failures_table(e.current));
  return out;
}

bool is_alert(const std::string& cell) {
  return cell.starts_with("regression") || cell == "FAILED" || cell.starts_with("INCOMPLETE") ||
         cell.starts_with("CLIENT-BOUND");
}

}  // namespace loadgate::report
