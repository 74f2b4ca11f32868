#include "loadgate/run_summary.hpp"

#include <nlohmann/json.hpp>

#include "loadgate/gate/knee.hpp"
#include "loadgate/time_breakdown.hpp"
#include "report/figures.hpp"

namespace loadgate {
namespace {

using report::ms;

// {min, mean, p50, ..., max} in ms; nothing when no sample was recorded.
nlohmann::json distribution_ms(const histogram& h) {
  nlohmann::json j = {{"count", h.count()}, {"min", ms(static_cast<double>(h.min()))}, {"mean", ms(h.mean())}};
  for (const auto& p : report::reported_percentiles) j[p.key] = *report::ms_at(h, p.percent);
  j["max"] = ms(static_cast<double>(h.max()));
  return j;
}

nlohmann::json figures(const tally& t, const result& r) {
  nlohmann::json failures = nlohmann::json::object();
  for (const auto kind : all_failure_kinds)
    if (t.failures(kind) > 0) failures[std::string{to_string(kind)}] = t.failures(kind);
  nlohmann::json j = {{"count", t.count()},
                      {"successes", t.successes()},
                      {"failures", failures},
                      {"failure_rate", t.failure_rate()},
                      {"requests_per_second", report::per_second(t.count(), r)}};
  if (!t.latency().empty()) j["latency_ms"] = distribution_ms(t.latency());
  const std::pair<measure, const char*> streamed[] = {
      {measure::ttft, "ttft_ms"}, {measure::tpot, "tpot_ms"}, {measure::inter_token_gap, "inter_token_gap_ms"}};
  for (const auto& [m, key] : streamed)
    if (!t.of(m).empty()) j[key] = distribution_ms(t.of(m));
  if (t.output_tokens_total() > 0) j["output_tokens_per_second"] = report::per_second(t.output_tokens_total(), r);
  j["goodput_per_second"] = report::per_second(t.met_slo(), r);
  if (const auto b = breakdown_of(t)) {
    j["time_ms"] = {{"client_network", b->client_network_ms}, {"queue", b->queue_ms},
                    {"adapter_load", b->adapter_load_ms},     {"prefill", b->prefill_ms},
                    {"decode", b->decode_ms},                 {"total", b->total_ms()},
                    {"samples", b->samples}};
  }
  return j;
}

}  // namespace

nlohmann::json run_summary(const result& r) {
  nlohmann::json requests = nlohmann::json::object();
  for (const auto& [name, t] : report::by_request(r)) requests[name] = figures(t, r);
  nlohmann::json adapters = nlohmann::json::object();
  for (const auto& a : report::by_adapter(r)) {
    auto& entry = adapters[report::adapter_label(a.id)];
    entry = {{"all", figures(a.all, r)}, {"cold", figures(a.cold, r)}, {"warm", figures(a.warm, r)}};
    // Only from a server that does not say when it loads an adapter (LoRAX): the others keep the
    // shape they had.
    if (a.unknown.count() > 0) entry["unknown"] = figures(a.unknown, r);
  }
  nlohmann::json summary = {{"derived", "from the histograms, rewritten on every write and ignored on reading"},
                             {"seconds", r.seconds()},
                             {"overall", figures(r.total(), r)},
                             {"requests", requests},
                             {"adapters", adapters}};
  // Staged runs only, found or not, so that a ramp says why it shows no knee; constant load has
  // none to look for.
  if (has_load_stages(r)) summary["knees"] = find_knees(r);
  if (!r.info.scrape_url.empty()) {
    nlohmann::json server = nlohmann::json::object();
    for (const auto& [name, f] : report::server_metrics(r))
      server[name] = {{"readings", f.readings}, {"min", f.min}, {"mean", f.mean}, {"max", f.max}, {"last", f.last}};
    summary["server"] = server;
  }
  return summary;
}

}  // namespace loadgate
