#pragma once
// Which adapter each request asks for: the popularity patterns of the multi-LoRA literature
// (S-LoRA's power law, Punica's distinct / identical / uniform / skewed, vLLM's uniform and
// round robin). Draws use the virtual user's rng (task_context), so a seed repeats a run.
// Include the base model in a list with llm::base_model().
//
// A selection is a value; its copies share the round-robin and distinct counters, so every user
// on every thread advances the same sequence.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/llm/adapter.hpp"
#include "loadgate/random_engine.hpp"

namespace loadgate::llm {

class adapter_selection {
 public:
  enum class kind { identical, uniform, round_robin, weighted, zipf, power, distinct };

  adapter_selection();  // identical(base_model()): every request to the base model

  static adapter_selection identical(adapter a);  // Punica "identical"
  static adapter_selection uniform(std::vector<adapter> adapters);
  static adapter_selection round_robin(std::vector<adapter> adapters);  // exact, across threads
  // Probability proportional to the weight (>= 0, at least one > 0).
  static adapter_selection weighted(std::vector<std::pair<adapter, double>> adapters);
  // The k-th adapter of the list (k = 1, 2, ...) with probability ∝ 1 / k^s, s >= 0.
  static adapter_selection zipf(std::vector<adapter> adapters, double s);
  // S-LoRA: adapter floor(n·X), X = U^(1/alpha) ~ power(alpha) on [0, 1] (density
  // alpha·x^(alpha−1), numpy.random.power), alpha > 0. alpha = 1 is uniform; as alpha shrinks the
  // mass moves to the start of the list, so the first adapters are the popular ones.
  static adapter_selection power(std::vector<adapter> adapters, double alpha);
  // A new adapter for every request: "<prefix>-<n>", n = 0, 1, ... (Punica "distinct"); the
  // server must be able to load it from `source`.
  static adapter_selection distinct(std::string prefix, std::string source = "hub");

  adapter next(random_engine& rng) const;

  kind type() const { return kind_; }
  const std::vector<adapter>& adapters() const { return adapters_; }
  double parameter() const { return parameter_; }  // zipf s, power alpha; 0 otherwise
  const std::string& prefix() const { return prefix_; }  // distinct

 private:
  adapter_selection(kind k, std::vector<adapter> adapters, std::vector<double> weights, double parameter);
  std::size_t draw_index(random_engine& rng) const;

  kind kind_ = kind::identical;
  std::vector<adapter> adapters_;
  std::vector<double> cumulative_;  // weighted and zipf: running sums of the weights
  double parameter_ = 0;
  std::string prefix_;  // distinct
  std::shared_ptr<std::atomic<std::uint64_t>> counter_;  // round_robin, distinct
};

// {"type": "zipf", "s": 1.1, "adapters": ["a", "b"]} and the like (ids only, for reports).
void to_json(nlohmann::json& j, const adapter_selection& s);
// Scenario files: {"type": "zipf", "s": 1.1, "catalogue": "fixtures/data/adapters.json"},
// {"type": "weighted", "adapters": [{"id": "a", "weight": 3}, "b"]}, {"type": "distinct",
// "prefix": "p", "source": "hub"}; "adapters" (ids or catalogue entries) and "catalogue" add up,
// "include_base_model": true puts the base model first. Unknown keys: configuration_error.
void from_json(const nlohmann::json& j, adapter_selection& s);

}  // namespace loadgate::llm
