#include "report/figures.hpp"

#include <algorithm>

#include "loadgate/gate/metric.hpp"

namespace loadgate::report {

std::optional<double> ms_at(const histogram& h, double percent) {
  if (h.empty()) return std::nullopt;
  return ms(static_cast<double>(h.value_at_percentile(percent)));
}

std::vector<named_tally> by_request(const result& r) {
  std::vector<named_tally> out;
  for (const auto& name : r.request_names()) out.push_back({name, r.total({.request = name})});
  return out;
}

std::vector<std::string> llm_request_names(const result& r) {
  std::vector<std::string> names;
  for (const auto& [key, t] : r.settled())
    if (key.use != adapter_use::none && (names.empty() || names.back() != key.request)) names.push_back(key.request);
  return names;
}

std::vector<adapter_tallies> by_adapter(const result& r) {
  std::vector<adapter_tallies> out;
  for (const auto& id : r.adapters()) {
    out.push_back({id, r.total({.adapter = id}), r.total({.adapter = id, .use = adapter_use::cold}),
                   r.total({.adapter = id, .use = adapter_use::warm}), r.total({.adapter = id, .use = adapter_use::unknown})});
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.all.count() > b.all.count(); });
  return out;
}

std::string adapter_label(const std::string& id) { return id.empty() ? "(base model)" : id; }

std::map<std::string, server_metric_figures> server_metrics(const result& r) {
  std::map<std::string, server_metric_figures> out;
  for (const auto& window : r.series.windows())
    for (const auto& [name, value] : window.server) out[name].last = value;
  // The statistics as an SLO on them reads them (loadgate/gate/metric.hpp), so the two agree.
  for (auto& [name, f] : out) {
    const auto max = observe(server_metric(name, statistic::maximum), r);
    f.readings = max.samples;
    f.max = max.value;
    f.min = observe(server_metric(name, statistic::minimum), r).value;
    f.mean = observe(server_metric(name, statistic::mean), r).value;
  }
  return out;
}

double per_second(std::uint64_t n, const result& r) {
  const double s = r.seconds();
  return s > 0 ? static_cast<double>(n) / s : 0.0;
}

}  // namespace loadgate::report
