#include "loadgate/llm/adapter_selection.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "detail/strict_json.hpp"
#include "detail/random.hpp"

namespace loadgate::llm {
using loadgate::detail::field_or;
using loadgate::detail::reject_unknown_fields;
using loadgate::detail::require_object;
namespace {

std::vector<adapter> non_empty(std::vector<adapter> adapters, const char* kind) {
  if (adapters.empty()) throw configuration_error{std::string{kind} + " adapter selection needs at least one adapter"};
  return adapters;
}

std::vector<double> running_sums(const std::vector<double>& weights) {
  std::vector<double> sums(weights.size());
  std::partial_sum(weights.begin(), weights.end(), sums.begin());
  return sums;
}

std::string_view name_of(adapter_selection::kind k) {
  using enum adapter_selection::kind;
  switch (k) {
    case identical: return "identical";
    case uniform: return "uniform";
    case round_robin: return "round_robin";
    case weighted: return "weighted";
    case zipf: return "zipf";
    case power: return "power";
    case distinct: return "distinct";
  }
  return "identical";
}

}  // namespace

adapter_selection::adapter_selection() : adapter_selection{identical(base_model())} {}

adapter_selection::adapter_selection(kind k, std::vector<adapter> adapters, std::vector<double> weights,
                                     double parameter)
    : kind_{k}, adapters_{std::move(adapters)}, cumulative_{running_sums(weights)}, parameter_{parameter} {}

adapter_selection adapter_selection::identical(adapter a) {
  return adapter_selection{kind::identical, {std::move(a)}, {}, 0};
}

adapter_selection adapter_selection::uniform(std::vector<adapter> adapters) {
  return adapter_selection{kind::uniform, non_empty(std::move(adapters), "a uniform"), {}, 0};
}

adapter_selection adapter_selection::round_robin(std::vector<adapter> adapters) {
  adapter_selection s{kind::round_robin, non_empty(std::move(adapters), "a round_robin"), {}, 0};
  s.counter_ = std::make_shared<std::atomic<std::uint64_t>>(0);
  return s;
}

adapter_selection adapter_selection::weighted(std::vector<std::pair<adapter, double>> adapters) {
  std::vector<adapter> list;
  std::vector<double> weights;
  for (auto& [a, w] : adapters) {
    if (!(w >= 0) || !std::isfinite(w)) throw configuration_error{"adapter weight of \"" + a.id + "\" must be a finite number >= 0"};
    list.push_back(std::move(a));
    weights.push_back(w);
  }
  if (std::accumulate(weights.begin(), weights.end(), 0.0) <= 0)
    throw configuration_error{"a weighted adapter selection needs at least one weight above 0"};
  return adapter_selection{kind::weighted, std::move(list), std::move(weights), 0};
}

adapter_selection adapter_selection::zipf(std::vector<adapter> adapters, double s) {
  if (!(s >= 0) || !std::isfinite(s)) throw configuration_error{"zipf exponent s must be a finite number >= 0"};
  adapters = non_empty(std::move(adapters), "a zipf");
  std::vector<double> weights(adapters.size());
  for (std::size_t k = 0; k < weights.size(); ++k) weights[k] = 1.0 / std::pow(static_cast<double>(k + 1), s);
  return adapter_selection{kind::zipf, std::move(adapters), std::move(weights), s};
}

adapter_selection adapter_selection::power(std::vector<adapter> adapters, double alpha) {
  if (!(alpha > 0) || !std::isfinite(alpha)) throw configuration_error{"power-law alpha must be a finite number > 0"};
  return adapter_selection{kind::power, non_empty(std::move(adapters), "a power"), {}, alpha};
}

adapter_selection adapter_selection::distinct(std::string prefix, std::string source) {
  if (prefix.empty()) throw configuration_error{"a distinct adapter selection needs an id prefix"};
  adapter_selection s{kind::distinct, {adapter{"", std::move(source), 0}}, {}, 0};
  s.prefix_ = std::move(prefix);
  s.counter_ = std::make_shared<std::atomic<std::uint64_t>>(0);
  return s;
}

std::size_t adapter_selection::draw_index(random_engine& rng) const {
  const auto n = adapters_.size();
  switch (kind_) {
    case kind::uniform: return loadgate::detail::below(rng, n);
    case kind::round_robin: return counter_->fetch_add(1, std::memory_order_relaxed) % n;
    case kind::weighted:
    case kind::zipf: {
      const double x = loadgate::detail::uniform01(rng) * cumulative_.back();
      const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
      return std::min(static_cast<std::size_t>(it - cumulative_.begin()), n - 1);
    }
    case kind::power: {
      const double x = std::pow(loadgate::detail::uniform01(rng), 1.0 / parameter_);
      return std::min(static_cast<std::size_t>(std::floor(static_cast<double>(n) * x)), n - 1);
    }
    case kind::identical:
    case kind::distinct: break;
  }
  return 0;
}

adapter adapter_selection::next(random_engine& rng) const {
  if (kind_ == kind::distinct) {
    adapter a = adapters_.front();
    a.id = prefix_ + "-" + std::to_string(counter_->fetch_add(1, std::memory_order_relaxed));
    return a;
  }
  return adapters_[draw_index(rng)];
}

void to_json(nlohmann::json& j, const adapter_selection& s) {
  j = {{"type", name_of(s.type())}};
  if (s.type() == adapter_selection::kind::zipf) j["s"] = s.parameter();
  if (s.type() == adapter_selection::kind::power) j["alpha"] = s.parameter();
  if (s.type() == adapter_selection::kind::distinct) {
    j["prefix"] = s.prefix();
    j["source"] = s.adapters().front().source;
    return;
  }
  auto& ids = j["adapters"] = nlohmann::json::array();
  for (const auto& a : s.adapters()) ids.push_back(a.id);
}

namespace {

constexpr std::string_view selection_where = "adapters";

// "org/a" or {"id": "org/a", "source": "s3", "size_mb": 16, "weight": 2}; weight only for "weighted".
std::pair<adapter, double> read_choice(const nlohmann::json& j, std::size_t index) {
  const auto where = std::string{selection_where} + ".adapters[" + std::to_string(index) + "]";
  if (j.is_string()) return {adapter{j.get<std::string>()}, 1.0};
  require_object(j, where);
  reject_unknown_fields(j, where, {"id", "source", "size_mb", "broken", "weight"});
  adapter a{field_or<std::string>(j, where, "id", ""), field_or<std::string>(j, where, "source", "hub"),
            field_or<double>(j, where, "size_mb", 0), field_or<bool>(j, where, "broken", false)};
  return {std::move(a), field_or<double>(j, where, "weight", 1.0)};
}

// "adapters" (inline) or "catalogue" (a file), plus the base model first when asked.
std::vector<std::pair<adapter, double>> read_choices(const nlohmann::json& j) {
  std::vector<std::pair<adapter, double>> out;
  if (field_or<bool>(j, selection_where, "include_base_model", false)) out.emplace_back(base_model(), 1.0);
  if (const auto it = j.find("catalogue"); it != j.end()) {
    for (auto& a : load_catalogue(field_or<std::string>(j, selection_where, "catalogue", ""))) out.emplace_back(std::move(a), 1.0);
  }
  if (const auto it = j.find("adapters"); it != j.end()) {
    if (!it->is_array()) throw configuration_error{"adapters.adapters: expected an array of ids or {\"id\": ...} objects"};
    for (std::size_t i = 0; i < it->size(); ++i) out.push_back(read_choice((*it)[i], i));
  }
  return out;
}

std::vector<adapter> without_weights(std::vector<std::pair<adapter, double>> choices) {
  std::vector<adapter> out;
  for (auto& [a, w] : choices) out.push_back(std::move(a));
  return out;
}

}  // namespace

void from_json(const nlohmann::json& j, adapter_selection& s) {
  require_object(j, selection_where);
  reject_unknown_fields(j, selection_where,
                         {"type", "adapters", "catalogue", "include_base_model", "s", "alpha", "prefix", "source"});
  const auto type = field_or<std::string>(j, selection_where, "type", "");
  auto choices = read_choices(j);
  if (type == "identical") {
    if (choices.size() > 1) throw configuration_error{"adapters: \"identical\" takes one adapter"};
    s = adapter_selection::identical(choices.empty() ? base_model() : choices.front().first);
  } else if (type == "uniform") {
    s = adapter_selection::uniform(without_weights(std::move(choices)));
  } else if (type == "round_robin") {
    s = adapter_selection::round_robin(without_weights(std::move(choices)));
  } else if (type == "weighted") {
    s = adapter_selection::weighted(std::move(choices));
  } else if (type == "zipf") {
    s = adapter_selection::zipf(without_weights(std::move(choices)), field_or<double>(j, selection_where, "s", 1.0));
  } else if (type == "power") {
    s = adapter_selection::power(without_weights(std::move(choices)), field_or<double>(j, selection_where, "alpha", 1.0));
  } else if (type == "distinct") {
    s = adapter_selection::distinct(field_or<std::string>(j, selection_where, "prefix", ""),
                                    field_or<std::string>(j, selection_where, "source", "hub"));
  } else {
    throw configuration_error{"adapters: \"type\" must be identical, uniform, round_robin, weighted, zipf, power or distinct, got \"" + type + "\""};
  }
}

}  // namespace loadgate::llm
