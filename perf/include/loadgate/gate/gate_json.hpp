#pragma once
// The gate's values as JSON, so that a verdict outlives the process that reached it: gate.json in
// a run folder, read back by `loadgate report` to rebuild the reports, and by scripts. Every
// value round-trips: a metric is written by its parts (family, statistic, selection), not only
// by its key, so a reader gets the metric back, not a string to parse.
//
//   {"family": "latency", "statistic": "percentile", "percent": 95,
//    "selection": {"scope": "request", "name": "generate", "requests": "any"}, "kind": null,
//    "key": "latency.p95[request:generate]", "label": "p95 latency (generate)", "unit": "us"}
//
// "key", "label" and "unit" are written for people and scripts and ignored on reading.
#include <nlohmann/json_fwd.hpp>

#include "loadgate/gate/gate.hpp"
#include "loadgate/gate/slo.hpp"

namespace loadgate {

void to_json(nlohmann::json& j, const metric& m);
void from_json(const nlohmann::json& j, metric& m);
void to_json(nlohmann::json& j, const metric_verdict& v);
void from_json(const nlohmann::json& j, metric_verdict& v);
// {"passed", "rerun", "runs", "max_runs", "metrics": [verdicts]}
void to_json(nlohmann::json& j, const gate_decision& d);
void from_json(const nlohmann::json& j, gate_decision& d);
void to_json(nlohmann::json& j, const slo& s);
void from_json(const nlohmann::json& j, slo& s);
// {"slo", "description", "met", "value", "samples", "note", "baseline"}
void to_json(nlohmann::json& j, const slo_check& c);
void from_json(const nlohmann::json& j, slo_check& c);

std::string_view to_string(metric_unit u);     // "us", "fraction", "per_second"
std::string_view to_string(comparison op);     // "<", "<=", ">", ">="

}  // namespace loadgate
