#include "loadgate/gate/gate_json.hpp"

#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate {

NLOHMANN_JSON_SERIALIZE_ENUM(metric_family, {{metric_family::latency, "latency"},
                                             {metric_family::ttft, "ttft"},
                                             {metric_family::tpot, "tpot"},
                                             {metric_family::failure_rate, "failure_rate"},
                                             {metric_family::throughput, "throughput"},
                                             {metric_family::goodput, "goodput"},
                                             {metric_family::achieved_rate, "achieved_rate"},
                                             {metric_family::server, "server"}})
NLOHMANN_JSON_SERIALIZE_ENUM(statistic, {{statistic::percentile, "percentile"},
                                         {statistic::maximum, "maximum"},
                                         {statistic::mean, "mean"},
                                         {statistic::minimum, "minimum"},
                                         {statistic::rate, "rate"},
                                         {statistic::per_second, "per_second"}})
NLOHMANN_JSON_SERIALIZE_ENUM(selection::scope, {{selection::scope::all, "all"},
                                                {selection::scope::request, "request"},
                                                {selection::scope::adapter, "adapter"}})
NLOHMANN_JSON_SERIALIZE_ENUM(selection::temperature, {{selection::temperature::any, "any"},
                                                      {selection::temperature::cold, "cold"},
                                                      {selection::temperature::warm, "warm"}})
NLOHMANN_JSON_SERIALIZE_ENUM(verdict, {{verdict::pass, "pass"},
                                       {verdict::regression, "regression"},
                                       {verdict::improvement, "improvement"},
                                       {verdict::inconclusive, "inconclusive"}})
NLOHMANN_JSON_SERIALIZE_ENUM(change_scale, {{change_scale::relative, "relative"}, {change_scale::absolute, "absolute"}})
NLOHMANN_JSON_SERIALIZE_ENUM(comparison, {{comparison::less, "<"},
                                          {comparison::less_equal, "<="},
                                          {comparison::greater, ">"},
                                          {comparison::greater_equal, ">="}})

namespace {

// nlohmann maps an unknown string to the first enumerator; a gate.json that says something this
// version does not know must be refused instead.
template <class Enum>
Enum strict_enum(const nlohmann::json& j, const char* field) {
  const auto& value = j.at(field);
  const Enum e = value.get<Enum>();
  if (nlohmann::json(e) != value) throw configuration_error{std::string{"unknown "} + field + " '" + value.dump() + "'"};
  return e;
}

// JSON has no infinity or NaN (nlohmann writes them as null, which no double reads back), and an
// interval can be unbounded: they are written as "inf", "-inf" and "nan".
nlohmann::json number(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

double number_at(const nlohmann::json& j, const char* field) {
  const auto& v = j.at(field);
  if (v.is_string()) {
    if (v == "inf") return std::numeric_limits<double>::infinity();
    if (v == "-inf") return -std::numeric_limits<double>::infinity();
    if (v == "nan") return std::numeric_limits<double>::quiet_NaN();
    throw configuration_error{std::string{field} + " must be a number, \"inf\", \"-inf\" or \"nan\", not " + v.dump()};
  }
  return v.get<double>();
}

}  // namespace

std::string_view to_string(metric_unit u) {
  switch (u) {
    case metric_unit::microseconds: return "us";
    case metric_unit::fraction: return "fraction";
    case metric_unit::per_second: return "per_second";
    case metric_unit::number: return "number";
  }
  return "?";
}

std::string_view to_string(comparison op) {
  switch (op) {
    case comparison::less: return "<";
    case comparison::less_equal: return "<=";
    case comparison::greater: return ">";
    case comparison::greater_equal: return ">=";
  }
  return "?";
}

void to_json(nlohmann::json& j, const metric& m) {
  j = {{"family", m.family},
       {"statistic", m.statistic},
       {"percent", m.percent},
       {"selection", {{"scope", m.selection.what}, {"name", m.selection.name}, {"requests", m.selection.requests}}},
       {"kind", m.kind ? nlohmann::json(std::string{to_string(*m.kind)}) : nlohmann::json(nullptr)},
       {"key", m.key()},
       {"label", m.label()},
       {"unit", to_string(m.unit())}};
  if (m.family == metric_family::server) j["series"] = m.series;
}

void from_json(const nlohmann::json& j, metric& m) {
  m.family = strict_enum<metric_family>(j, "family");
  m.statistic = strict_enum<statistic>(j, "statistic");
  m.percent = j.at("percent").get<double>();
  const auto& s = j.at("selection");
  m.selection.what = strict_enum<selection::scope>(s, "scope");
  m.selection.name = s.at("name").get<std::string>();
  m.selection.requests = strict_enum<selection::temperature>(s, "requests");
  m.kind.reset();
  if (const auto& kind = j.at("kind"); !kind.is_null()) {
    m.kind = failure_kind_from_string(kind.get<std::string>());
    if (!m.kind) throw configuration_error{"unknown failure kind '" + kind.get<std::string>() + "'"};
  }
  m.series.clear();
  if (m.family == metric_family::server) m.series = j.at("series").get<std::string>();
}

void to_json(nlohmann::json& j, const metric_verdict& v) {
  j = {{"metric", v.metric},
       {"verdict", v.verdict},
       {"baseline_value", number(v.baseline_value)},
       {"current_value", number(v.current_value)},
       {"baseline_samples", v.baseline_samples},
       {"current_samples", v.current_samples},
       {"scale", v.scale},
       {"change", number(v.change)},
       {"low", number(v.low)},
       {"high", number(v.high)},
       {"p_value", number(v.p_value)},
       {"threshold", number(v.threshold)},
       {"block_windows", v.block_windows},
       {"baseline_blocks", v.baseline_blocks},
       {"current_blocks", v.current_blocks},
       {"decided_at_bound", v.decided_at_bound},
       {"note", v.note}};
}

void from_json(const nlohmann::json& j, metric_verdict& v) {
  j.at("metric").get_to(v.metric);
  v.verdict = strict_enum<verdict>(j, "verdict");
  v.baseline_value = number_at(j, "baseline_value");
  v.current_value = number_at(j, "current_value");
  j.at("baseline_samples").get_to(v.baseline_samples);
  j.at("current_samples").get_to(v.current_samples);
  v.scale = strict_enum<change_scale>(j, "scale");
  v.change = number_at(j, "change");
  v.low = number_at(j, "low");
  v.high = number_at(j, "high");
  v.p_value = number_at(j, "p_value");
  v.threshold = number_at(j, "threshold");
  j.at("block_windows").get_to(v.block_windows);
  j.at("baseline_blocks").get_to(v.baseline_blocks);
  j.at("current_blocks").get_to(v.current_blocks);
  j.at("decided_at_bound").get_to(v.decided_at_bound);
  j.at("note").get_to(v.note);
}

void to_json(nlohmann::json& j, const gate_decision& d) {
  j = {{"passed", d.passed()}, {"rerun", d.rerun()}, {"runs", d.runs}, {"max_runs", d.max_runs}, {"metrics", d.metrics}};
}

void from_json(const nlohmann::json& j, gate_decision& d) {
  j.at("runs").get_to(d.runs);
  j.at("max_runs").get_to(d.max_runs);
  j.at("metrics").get_to(d.metrics);
}

void to_json(nlohmann::json& j, const slo& s) { j = {{"metric", s.metric}, {"op", s.op}, {"limit", s.limit}}; }

void from_json(const nlohmann::json& j, slo& s) {
  j.at("metric").get_to(s.metric);
  s.op = strict_enum<comparison>(j, "op");
  s.limit = number_at(j, "limit");
}

void to_json(nlohmann::json& j, const slo_check& c) {
  j = {{"slo", c.slo},
       {"description", c.slo.description()},
       {"met", c.met},
       {"value", number(c.actual.value)},
       {"samples", c.actual.samples},
       {"note", c.actual.note},
       {"detail", c.actual.detail},
       {"baseline", c.baseline ? number(*c.baseline) : nlohmann::json(nullptr)}};
}

void from_json(const nlohmann::json& j, slo_check& c) {
  j.at("slo").get_to(c.slo);
  j.at("met").get_to(c.met);
  c.actual.value = number_at(j, "value");
  j.at("samples").get_to(c.actual.samples);
  j.at("note").get_to(c.actual.note);
  c.actual.detail = j.value("detail", std::string{});  // optional: absent in gate.json written before it
  c.baseline.reset();
  if (!j.at("baseline").is_null()) c.baseline = number_at(j, "baseline");
}

}  // namespace loadgate
