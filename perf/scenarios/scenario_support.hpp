#pragma once
// What the project's own scenarios share: the adapter catalogue of the simulator, the suites
// (each a fixture class, so that its name is the baseline's suite name) and the description of
// the service the baselines were recorded against.
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "loadgate/gtest.hpp"
#include "loadgate/llm/llm.hpp"
#include "loadgate/loadgate.hpp"

namespace loadgate::scenarios {

// fixtures/data/adapters.json holds {"adapters": [...]} with simulator-only keys (broken, pbase);
// the usable adapters in catalogue order, the most popular first under Zipf.
inline std::vector<llm::adapter> catalogue_adapters() {
  const std::string path = LOADGATE_SOURCE_DIR "/fixtures/data/adapters.json";
  std::ifstream in{path};
  if (!in) throw configuration_error{"cannot read the adapter catalogue " + path};
  const auto doc = nlohmann::json::parse(in);
  std::vector<llm::adapter> adapters;
  for (const auto& entry : doc.at("adapters")) {
    if (entry.value("broken", false)) continue;
    adapters.push_back({entry.at("id").get<std::string>(), entry.at("source").get<std::string>(),
                        entry.at("size_mb").get<double>()});
  }
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

inline gated_run_options options_for(const std::string& service, const std::string& flags, nlohmann::json tasks) {
  return gated_run_options{}.configuration({{"service", service_description(service, flags)}, {"tasks", std::move(tasks)}});
}

inline gated_run_options default_service_options(nlohmann::json tasks) {
  return options_for("lorax", LOADGATE_SIM_FLAGS, std::move(tasks));
}

// The suites. A scenario_test resolves the target before the test body.
class Smoke : public scenario_test {};
class MultiLora : public scenario_test {};
class Load : public scenario_test {};

}  // namespace loadgate::scenarios
