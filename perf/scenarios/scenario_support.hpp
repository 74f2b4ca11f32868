#pragma once
// What the project's own scenarios share: the adapter catalogue of the simulator, the suites
// (each a fixture class, so that its name is the baseline's suite name) and the description of
// the service the baselines were recorded against.
#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loadgate/gtest.hpp"
#include "loadgate/llm/llm.hpp"
#include "loadgate/loadgate.hpp"

namespace loadgate::scenarios {

// The simulator's catalogue (fixtures/data/adapters.json) without its broken adapters, in
// catalogue order: the most popular first under Zipf.
inline std::vector<llm::adapter> catalogue_adapters() {
  auto adapters = llm::load_catalogue(LOADGATE_SOURCE_DIR "/fixtures/data/adapters.json");
  std::erase_if(adapters, [](const llm::adapter& a) { return a.broken; });
  return adapters;
}

inline std::vector<llm::adapter> first_adapters(std::size_t n) {
  auto all = catalogue_adapters();
  all.resize(std::min(n, all.size()));
  return all;
}

// The simulator's flags join every fingerprint: a baseline recorded against another service
// configuration is stale, not comparable.
inline nlohmann::json service_description(const std::string& service, const std::string& flags) {
  return {{"service", service}, {"flags", flags}};
}

// The tasks describe themselves (task::description), so only the service is added here.
inline gated_run_options options_for(const std::string& service, const std::string& flags) {
  return gated_run_options{}.configuration({{"service", service_description(service, flags)}});
}

inline gated_run_options default_service_options() { return options_for("lorax", LOADGATE_SIM_FLAGS); }

// The suites. A scenario_test resolves the target before the test body.
class Smoke : public scenario_test {};
class MultiLora : public scenario_test {};
class Load : public scenario_test {};

}  // namespace loadgate::scenarios
