#pragma once
// Scenarios as JSON files, for `loadgate run --scenario FILE`. Unknown fields are errors, so a
// typo never silently falls back to a default. The format is documented in perf/src/config/README.md.
#include <filesystem>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/scenario.hpp"

namespace loadgate {

// Throws configuration_error: "<file>: <where>: <what is wrong>".
scenario load_scenario_file(const std::filesystem::path& file);
scenario scenario_from_json(const nlohmann::json& j);

}  // namespace loadgate
