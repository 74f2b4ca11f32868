#include "loadgate/llm/adapter_stats.hpp"

#include <nlohmann/json.hpp>

namespace loadgate::llm {

void adapter_bucket::record(const adapter_request& r) {
  ++requests;
  if (r.failed) {
    ++failures;
    return;
  }
  latency.record(r.latency);
  if (r.ttft) ttft.record(*r.ttft);
}

void adapter_bucket::merge(const adapter_bucket& other) {
  requests += other.requests;
  failures += other.failures;
  latency.merge(other.latency);
  ttft.merge(other.ttft);
}

adapter_bucket adapter_summary::all() const {
  adapter_bucket sum = cold;
  sum.merge(warm);
  return sum;
}

void adapter_stats::record(const llm_observation& o, clock::time_point run_start) {
  record(o.adapter, adapter_request{.started = o.t0 - run_start,
                                    .failed = !o.ok(),
                                    .latency = o.e2e,
                                    .ttft = o.ttft,
                                    .server_cold = o.server.signals_cold_load()});
}

void adapter_stats::record(const std::string& adapter, const adapter_request& r) {
  if (auto not_first = first_.offer(adapter, r)) settle(adapter, *not_first);
}

void adapter_stats::settle(const std::string& adapter, const adapter_request& r) {
  auto& summary = settled_[adapter];
  (r.server_cold ? summary.cold : summary.warm).record(r);
}

void adapter_stats::merge(const adapter_stats& other) {
  for (const auto& [adapter, summary] : other.settled_) {
    auto& mine = settled_[adapter];
    mine.cold.merge(summary.cold);
    mine.warm.merge(summary.warm);
  }
  first_.merge(other.first_, [this](const std::string& adapter, const adapter_request& r) { settle(adapter, r); });
}

std::map<std::string, adapter_summary> adapter_stats::by_adapter() const {
  auto all = settled_;
  for (const auto& [adapter, r] : first_.first_sights()) all[adapter].cold.record(r);
  return all;
}

adapter_summary adapter_stats::of(const std::string& adapter) const {
  adapter_summary summary;
  if (const auto it = settled_.find(adapter); it != settled_.end()) summary = it->second;
  if (const auto it = first_.first_sights().find(adapter); it != first_.first_sights().end())
    summary.cold.record(it->second);
  return summary;
}

void to_json(nlohmann::json& j, const adapter_bucket& b) {
  j = {{"requests", b.requests}, {"failures", b.failures}, {"latency_us", b.latency}, {"ttft_us", b.ttft}};
}

void from_json(const nlohmann::json& j, adapter_bucket& b) {
  b = {};
  j.at("requests").get_to(b.requests);
  j.at("failures").get_to(b.failures);
  j.at("latency_us").get_to(b.latency);
  j.at("ttft_us").get_to(b.ttft);
}

void to_json(nlohmann::json& j, const adapter_stats& s) {
  auto adapters = nlohmann::json::object();
  for (const auto& [adapter, summary] : s.settled_)
    adapters[adapter] = {{"cold", summary.cold}, {"warm", summary.warm}};
  j = {{"adapters", std::move(adapters)}, {"first_sights", s.first_.first_sights()}};
}

void from_json(const nlohmann::json& j, adapter_stats& s) {
  s = {};
  for (const auto& [adapter, summary] : j.at("adapters").items()) {
    auto& mine = s.settled_[adapter];
    summary.at("cold").get_to(mine.cold);
    summary.at("warm").get_to(mine.warm);
  }
  for (const auto& [adapter, r] : j.at("first_sights").items()) s.first_.offer(adapter, r.get<adapter_request>());
}

}  // namespace loadgate::llm
