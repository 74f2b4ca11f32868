#pragma once
// A capacity scenario against its baseline: find the capacity (loadgate/capacity.hpp), then, as a
// gated run does for its metrics, create, update or compare the scenario's baseline file, whose
// `capacity` holds the stored search and whose runs are those of the highest load that met the SLOs.
// The fingerprint covers the scenario, the SLOs and the search's settings.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "loadgate/capacity.hpp"
#include "loadgate/gate/baseline.hpp"
#include "loadgate/gate/capacity_gate.hpp"

namespace loadgate {

struct gated_capacity_outcome {
  baseline_action action = baseline_action::compare;
  std::filesystem::path baseline_file;
  std::optional<capacity_estimate> baseline;    // compare: the stored capacity
  std::optional<capacity_estimate> found;       // the search made (none for fail_*)
  std::optional<capacity_comparison> comparison;  // compare only
  std::string message;                          // what happened to the baseline, the verdict

  bool passed() const;
};

struct gated_capacity_options {
  capacity_options search;
  double threshold = 0.10;            // relative change of the capacity that counts
  nlohmann::json configuration = nullptr;  // extra knobs for the fingerprint (the service's flags)
};

// The search's settings that decide what a capacity means, for the fingerprint.
nlohmann::json capacity_configuration(const scenario& s, const std::vector<slo>& slos, const capacity_options& o);

gated_capacity_outcome gated_capacity(const scenario& s, const std::vector<slo>& slos, const target& t,
                                      std::string_view suite, std::string_view test,
                                      const gated_capacity_options& options = {},
                                      const baseline_environment& env = baseline_environment::from_env());

}  // namespace loadgate
