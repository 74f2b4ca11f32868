#include "loadgate/gate/metric.hpp"

#include <chrono>
#include <cstdio>

#include "detail/format_number.hpp"

namespace loadgate {

namespace {

using detail::format_number;

std::string_view family_key(metric_family f) {
  switch (f) {
    case metric_family::latency: return "latency";
    case metric_family::ttft: return "ttft";
    case metric_family::tpot: return "tpot";
    case metric_family::failure_rate: return "failure_rate";
    case metric_family::throughput: return "throughput";
    case metric_family::goodput: return "goodput";
  }
  return "?";
}

std::string_view family_label(metric_family f) {
  switch (f) {
    case metric_family::latency: return "latency";
    case metric_family::ttft: return "TTFT";
    case metric_family::tpot: return "TPOT";
    case metric_family::failure_rate: return "failure rate";
    case metric_family::throughput: return "throughput";
    case metric_family::goodput: return "goodput";
  }
  return "?";
}

bool is_distribution(metric_family f) {
  return f == metric_family::latency || f == metric_family::ttft || f == metric_family::tpot;
}

// "p95", "p99.9", "max", "mean"; empty for rates, whose family name says it all.
std::string statistic_name(const metric& m) {
  switch (m.statistic) {
    case statistic::percentile: return "p" + format_number(m.percent, "%g");
    case statistic::maximum: return "max";
    case statistic::mean: return "mean";
    case statistic::rate:
    case statistic::per_second: return {};
  }
  return {};
}

const request_stats* find_request(const result& r, const std::string& name) {
  const auto it = r.requests.find(name);
  return it == r.requests.end() ? nullptr : &it->second;
}

double measured_seconds(const result& r) { return std::chrono::duration<double>(r.info.measured_duration).count(); }

// The request_stats the selection covers, or nothing when the selection is not by request.
std::optional<request_stats> selected_requests(const metric& m, const result& r) {
  switch (m.selection.what) {
    case selection::scope::all: return r.total();
    case selection::scope::request: {
      const auto* s = find_request(r, m.selection.name);
      return s ? std::optional{*s} : std::nullopt;
    }
    case selection::scope::adapter: return std::nullopt;  // adapter_tally
  }
  return std::nullopt;
}

// One adapter's requests: all, cold or warm (cold: first in the run, or the server loaded it).
llm::adapter_bucket selected_bucket(const selection& s, const result& r) {
  const auto summary = r.adapters.of(s.name);
  switch (s.requests) {
    case selection::temperature::cold: return summary.cold;
    case selection::temperature::warm: return summary.warm;
    case selection::temperature::any: break;
  }
  return summary.all();
}

bool has_adapter(const result& r, const std::string& id) {
  const auto summary = r.adapters.of(id);
  return summary.cold.requests + summary.warm.requests > 0;
}

bool has_ttft(const result& r) {
  for (const auto& [name, s] : r.llm)
    if (!s.ttft().empty()) return true;
  return false;
}

// ---- extractors, one per family --------------------------------------------------------------

tally request_stats_tally(const metric& m, const request_stats& s, double seconds) {
  tally t;
  t.count = s.count();
  t.seconds = seconds;
  if (m.family == metric_family::latency) t.distribution = s.latency();
  if (m.family == metric_family::failure_rate) t.events = m.kind ? s.failures(*m.kind) : s.failures();
  return t;
}

// TTFT, TPOT and goodput of one LLM request name, or of all of them merged.
tally llm_tally(const metric& m, const result& r, double seconds) {
  tally t;
  t.seconds = seconds;
  for (const auto& [name, s] : r.llm) {
    if (m.selection.what == selection::scope::request && name != m.selection.name) continue;
    t.count += s.successes() + s.failures();
    if (m.family == metric_family::ttft) t.distribution.merge(s.ttft());
    if (m.family == metric_family::tpot) t.distribution.merge(s.tpot());
    if (m.family == metric_family::goodput) t.events += s.met_slo();
  }
  return t;
}

// Latency, TTFT, failure rate and throughput of one adapter's requests (all, cold or warm).
tally adapter_tally(const metric& m, const result& r, double seconds) {
  const auto b = selected_bucket(m.selection, r);
  tally t;
  t.count = b.requests;
  t.seconds = seconds;
  if (m.family == metric_family::latency) t.distribution = b.latency;
  if (m.family == metric_family::ttft) t.distribution = b.ttft;
  if (m.family == metric_family::failure_rate) t.events = b.failures;
  return t;
}

bool is_llm_family(metric_family f) {
  return f == metric_family::ttft || f == metric_family::tpot || f == metric_family::goodput;
}

// "", ",cold" or ",warm": keys of existing baselines stay as they were for all requests.
std::string temperature_suffix(const selection& s) {
  switch (s.requests) {
    case selection::temperature::cold: return ",cold";
    case selection::temperature::warm: return ",warm";
    case selection::temperature::any: break;
  }
  return {};
}

}  // namespace

// ---- metric ----------------------------------------------------------------------------------

std::string metric::key() const {
  std::string k{family_key(family)};
  if (const auto s = statistic_name(*this); !s.empty()) k += "." + s;
  if (kind) k += "." + std::string{to_string(*kind)};
  if (selection.what == selection::scope::request) k += "[request:" + selection.name + "]";
  if (selection.what == selection::scope::adapter) k += "[adapter:" + selection.name + temperature_suffix(selection) + "]";
  return k;
}

std::string metric::label() const {
  std::string l;
  if (const auto s = statistic_name(*this); !s.empty()) l = s + " ";
  l += family_label(family);
  std::string detail;
  if (selection.what == selection::scope::request) detail = selection.name;
  if (selection.what == selection::scope::adapter) {
    const auto t = temperature_suffix(selection);  // ",cold" -> ", cold"
    detail = "adapter " + selection.name + (t.empty() ? t : ", " + t.substr(1));
  }
  if (kind) detail += (detail.empty() ? "" : ", ") + std::string{to_string(*kind)};
  if (!detail.empty()) l += " (" + detail + ")";
  return l;
}

metric_unit metric::unit() const {
  if (statistic == loadgate::statistic::rate) return metric_unit::fraction;
  if (statistic == loadgate::statistic::per_second) return metric_unit::per_second;
  return metric_unit::microseconds;
}

change_scale metric::scale() const {
  return statistic == loadgate::statistic::rate ? change_scale::absolute : change_scale::relative;
}

bool metric::higher_is_worse() const {
  return family != metric_family::throughput && family != metric_family::goodput;
}

metric failure_rate(std::string request_name, std::optional<failure_kind> kind) {
  return {metric_family::failure_rate, statistic::rate, 0,
          request_name.empty() ? selection{} : selection::request(std::move(request_name)), kind};
}

metric throughput(std::string request_name) {
  return {metric_family::throughput, statistic::per_second, 0,
          request_name.empty() ? selection{} : selection::request(std::move(request_name)), std::nullopt};
}

metric goodput(std::string request_name) {
  return {metric_family::goodput, statistic::per_second, 0,
          request_name.empty() ? selection{} : selection::request(std::move(request_name)), std::nullopt};
}

// ---- tallies ---------------------------------------------------------------------------------

void tally::merge(const tally& other) {
  distribution.merge(other.distribution);
  events += other.events;
  count += other.count;
  seconds += other.seconds;
}

std::string unavailable_reason(const metric& m, const result& r) {
  const auto& name = m.selection.name;
  if (is_llm_family(m.family)) {
    if (r.llm.empty()) return "this result records no LLM figures (TTFT, TPOT, goodput): no LLM request shapes ran";
    if (m.selection.what == selection::scope::request && !r.llm.contains(name))
      return "this result has no LLM request named '" + name + "'";
    if (m.selection.what == selection::scope::adapter && m.family != metric_family::ttft)
      return "per-adapter figures hold latency, TTFT, failures and throughput, not " +
             std::string{family_label(m.family)};
  }
  if (m.selection.what == selection::scope::adapter) {
    if (m.kind) return "per-adapter figures do not split failures by kind";
    if (!has_adapter(r, name)) return "this result has no requests to adapter '" + name + "'";
    return {};
  }
  if (m.selection.what == selection::scope::request && !is_llm_family(m.family) && !find_request(r, name))
    return "this result has no request named '" + name + "'";
  return {};
}

tally whole_run_tally(const metric& m, const result& r) {
  if (!unavailable_reason(m, r).empty()) return {};
  if (m.selection.what == selection::scope::adapter) return adapter_tally(m, r, measured_seconds(r));
  if (is_llm_family(m.family)) return llm_tally(m, r, measured_seconds(r));
  const auto s = selected_requests(m, r);
  return s ? request_stats_tally(m, *s, measured_seconds(r)) : tally{};
}

std::optional<std::vector<tally>> window_tallies(const metric& m, const result& r) {
  if (!unavailable_reason(m, r).empty()) return std::nullopt;
  // The time series keeps no LLM or per-adapter figures: those are judged on whole runs.
  if (is_llm_family(m.family)) return std::nullopt;
  // time_series merges every request name and failure kind (see the report: per-name windows).
  const bool whole_run = m.selection.what == selection::scope::all ||
                         (m.selection.what == selection::scope::request && r.requests.size() == 1);
  if (!whole_run || m.kind) return std::nullopt;
  std::vector<tally> out;
  out.reserve(r.series.windows().size());
  const double seconds = std::chrono::duration<double>(time_series::window_length).count();
  for (const auto& w : r.series.windows()) {
    tally t;
    t.count = w.requests;
    t.seconds = seconds;
    if (m.family == metric_family::latency) t.distribution = w.latency;
    if (m.family == metric_family::failure_rate) t.events = w.failures;
    out.push_back(std::move(t));
  }
  return out;
}

bool records_ttft(const result& r) { return has_ttft(r); }

observation observe(const metric& m, const tally& t) {
  observation o;
  switch (m.statistic) {
    case statistic::percentile:
    case statistic::maximum:
    case statistic::mean:
      if (!is_distribution(m.family)) return o;
      o.samples = t.distribution.count();
      if (m.statistic == statistic::percentile) o.value = static_cast<double>(t.distribution.value_at_percentile(m.percent));
      if (m.statistic == statistic::maximum) o.value = static_cast<double>(t.distribution.max());
      if (m.statistic == statistic::mean) o.value = t.distribution.mean();
      return o;
    case statistic::rate:
      o.samples = t.count;
      o.value = t.count ? static_cast<double>(t.events) / static_cast<double>(t.count) : 0.0;
      return o;
    case statistic::per_second: {
      o.samples = t.count;
      const auto numerator = m.family == metric_family::goodput ? t.events : t.count;
      o.value = t.seconds > 0 ? static_cast<double>(numerator) / t.seconds : 0.0;
      if (t.seconds <= 0) o.samples = 0;  // no duration, no rate
      return o;
    }
  }
  return o;
}

observation observe(const metric& m, const result& r) {
  auto o = observe(m, whole_run_tally(m, r));
  if (o.samples == 0) o.note = unavailable_reason(m, r);
  return o;
}

std::string format_value(metric_unit unit, double value) {
  switch (unit) {
    case metric_unit::microseconds:
      if (value < 1000) return format_number(value, "%.0f µs");
      if (value < 10'000'000) return format_number(value / 1000, "%.1f ms");
      return format_number(value / 1e6, "%.2f s");
    case metric_unit::fraction: return format_number(value * 100, "%.2f %%");
    case metric_unit::per_second: return format_number(value, "%.1f req/s");
  }
  return format_number(value, "%g");
}

}  // namespace loadgate
