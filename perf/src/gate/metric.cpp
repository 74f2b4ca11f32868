#include "loadgate/gate/metric.hpp"

#include <chrono>
#include <algorithm>
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
    case metric_family::achieved_rate: return "achieved_rate";
    case metric_family::server: return "server";
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
    case metric_family::achieved_rate: return "achieved arrival rate";
    case metric_family::server: return "server";
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
    case statistic::minimum: return "min";
    case statistic::rate:
    case statistic::per_second: return {};
  }
  return {};
}

// The keys a selection covers.
key_filter filter_of(const selection& s) {
  key_filter f;
  if (s.what == selection::scope::request) f.request = s.name;
  if (s.what == selection::scope::adapter) {
    f.adapter = s.name;
    if (s.requests == selection::temperature::cold) f.use = adapter_use::cold;
    if (s.requests == selection::temperature::warm) f.use = adapter_use::warm;
  }
  return f;
}

std::optional<measure> measure_of(metric_family f) {
  switch (f) {
    case metric_family::latency: return measure::latency;
    case metric_family::ttft: return measure::ttft;
    case metric_family::tpot: return measure::tpot;
    case metric_family::failure_rate:
    case metric_family::throughput:
    case metric_family::goodput:
    case metric_family::achieved_rate:
    case metric_family::server: break;
  }
  return std::nullopt;
}

// What a metric reads of a tally: one family's distribution or events, the count and the span.
metric_tally project(const metric& m, const tally& t, double seconds) {
  metric_tally p;
  p.count = t.count();
  p.seconds = seconds;
  if (const auto which = measure_of(m.family)) p.distribution = t.of(*which);
  if (m.family == metric_family::failure_rate) p.events = m.kind ? t.failures(*m.kind) : t.failures();
  if (m.family == metric_family::goodput) p.events = t.met_slo();
  return p;
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
  if (family == metric_family::server) return "server." + series + "." + statistic_name(*this);
  std::string k{family_key(family)};
  if (const auto s = statistic_name(*this); !s.empty()) k += "." + s;
  if (kind) k += "." + std::string{to_string(*kind)};
  if (selection.what == selection::scope::request) k += "[request:" + selection.name + "]";
  if (selection.what == selection::scope::adapter) k += "[adapter:" + selection.name + temperature_suffix(selection) + "]";
  return k;
}

std::string metric::label() const {
  if (family == metric_family::server) return statistic_name(*this) + " server." + series;
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
  if (family == metric_family::server) return metric_unit::number;
  if (statistic == loadgate::statistic::rate) return metric_unit::fraction;
  if (statistic == loadgate::statistic::per_second) return metric_unit::per_second;
  return metric_unit::microseconds;
}

change_scale metric::scale() const {
  return statistic == loadgate::statistic::rate ? change_scale::absolute : change_scale::relative;
}

bool metric::higher_is_worse() const {
  return family != metric_family::throughput && family != metric_family::goodput &&
         family != metric_family::achieved_rate;
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

void metric_tally::merge(const metric_tally& other) {
  distribution.merge(other.distribution);
  events += other.events;
  count += other.count;
  seconds += other.seconds;
}

std::string unavailable_reason(const metric& m, const result& r) {
  if (m.family == metric_family::server) {
    if (r.info.scrape_url.empty()) return "this run did not scrape its server's metrics (loadgate run --scrape URL)";
    return "no scrape of " + r.info.scrape_url + " read '" + m.series + "'";
  }
  if (m.family == metric_family::achieved_rate) {
    if (r.info.model != load_model::open)
      return "the achieved arrival rate is the open model's; this run used the closed model, whose users wait for responses";
    if (r.info.planned_arrivals == 0) return "no arrivals were planned (results written before loadgate kept planned arrivals read as none)";
    return {};
  }
  const auto& name = m.selection.name;
  if (m.selection.what == selection::scope::request && !r.request_names().contains(name))
    return "this result has no request named '" + name + "'";
  if (m.selection.what == selection::scope::adapter && !r.adapters().contains(name))
    return "this result has no LLM requests to adapter '" + name + "'";
  if (m.selection.what == selection::scope::adapter && m.selection.requests == selection::temperature::warm) {
    if (const auto unknown = r.total({.adapter = name, .use = adapter_use::unknown}).successes(); unknown > 0)
      return std::to_string(unknown) + " of its successful requests are neither cold nor warm: the server does not say when it "
             "loads an adapter (LoRAX sends no x-adapter-load-time)";
  }
  if (m.family == metric_family::ttft || m.family == metric_family::tpot) {
    if (r.total(filter_of(m.selection)).of(*measure_of(m.family)).empty())
      return std::string{"no successful request of this selection has a "} + std::string{family_label(m.family)} +
             (m.family == metric_family::ttft ? " (only streamed LLM requests do)" : " (only LLM requests with N > 1 do)");
  }
  return {};
}

namespace {

// The server family's value: of the readings of one scraped metric, one per window.
metric_value observe_server(const metric& m, const result& r) {
  metric_value o;
  for (const auto& window : r.series.windows()) {
    const auto it = window.server.find(m.series);
    if (it == window.server.end()) continue;
    const double v = it->second;
    if (o.samples == 0) o.value = v;
    else if (m.statistic == statistic::maximum) o.value = std::max(o.value, v);
    else if (m.statistic == statistic::minimum) o.value = std::min(o.value, v);
    else o.value += (v - o.value) / static_cast<double>(o.samples + 1);  // the running mean
    ++o.samples;
  }
  return o;
}

}  // namespace

metric_tally whole_run_tally(const metric& m, const result& r) {
  if (m.family == metric_family::achieved_rate) {
    const auto& i = r.info;
    const auto missed = std::min(i.planned_arrivals, i.late_arrivals + i.dropped_arrivals);
    return {.events = i.planned_arrivals - missed, .count = i.planned_arrivals, .seconds = r.seconds()};
  }
  return project(m, r.total(filter_of(m.selection)), r.seconds());
}

std::optional<std::vector<metric_tally>> window_tallies(const metric& m, const result& r) {
  // The windows do not keep late and dropped arrivals: the whole run is the one figure. Server
  // readings are not requests: no tally holds them.
  if (m.family == metric_family::achieved_rate || m.family == metric_family::server) return std::nullopt;
  if (r.series.windows().empty()) return std::nullopt;
  const double seconds = std::chrono::duration<double>(time_series::window_length).count();
  std::vector<metric_tally> out;
  out.reserve(r.series.windows().size());
  for (const auto& t : r.per_window(filter_of(m.selection))) out.push_back(project(m, t, seconds));
  return out;
}

bool records_ttft(const result& r) { return !r.total().of(measure::ttft).empty(); }

metric_value observe(const metric& m, const metric_tally& t) {
  metric_value o;
  switch (m.statistic) {
    case statistic::percentile:
    case statistic::maximum:
    case statistic::mean:
    case statistic::minimum:
      if (!is_distribution(m.family) || m.statistic == statistic::minimum) return o;
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

metric_value observe(const metric& m, const result& r) {
  auto o = m.family == metric_family::server ? observe_server(m, r) : observe(m, whole_run_tally(m, r));
  if (o.samples == 0) o.note = unavailable_reason(m, r);
  if (m.family == metric_family::achieved_rate && o.samples > 0)
    o.detail = std::to_string(r.info.late_arrivals) + " late, " + std::to_string(r.info.dropped_arrivals) +
               " dropped of " + std::to_string(r.info.planned_arrivals) + " planned";
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
    case metric_unit::number: return format_number(value, "%g");
  }
  return format_number(value, "%g");
}

}  // namespace loadgate
