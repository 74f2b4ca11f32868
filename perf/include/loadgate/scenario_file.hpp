#pragma once
// Scenarios as JSON, for `loadgate run --scenario FILE` and baselines. Unknown fields are errors, so
// a typo never silently falls back to a default.
#include <filesystem>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/llm/dialect.hpp"
#include "loadgate/scenario.hpp"

namespace loadgate {

// The one mapping of a scenario to JSON: scenario files, the baseline's stored configuration and
// its fingerprint all use it, and `loadgate run` flags override fields of the value it reads. Tasks
// are written as their spec (the request shapes describe themselves as one); a hand-written task
// is written as {"name", "code": true} and cannot be read back. Format: perf/src/config/README.md.
void to_json(nlohmann::json& j, const scenario& s);
void from_json(const nlohmann::json& j, scenario& s);  // not validated: flags may still override it

// Throws configuration_error: "<file>: <where>: <what is wrong>". Both validate the scenario.
scenario load_scenario_file(const std::filesystem::path& file);
scenario scenario_from_json(const nlohmann::json& j);

// The scenario with every dialect-neutral task (llm.*) and OpenAI-route task (openai.*) speaking
// `d` (loadgate/llm/dialect.hpp), rebuilt from its spec; LoRAX's own routes have one dialect and
// stay as they are. Throws configuration_error when the scenario has no such task, or a task
// cannot speak `d` (ignore_eos with openai).
scenario with_dialect(const scenario& s, llm::dialect d);

// A task of the scenario takes a dialect (what with_dialect changes).
bool has_dialect_tasks(const scenario& s);
// A task of the scenario is an LLM request (llm.*, lorax.*, openai.*): what an LLM server's
// /metrics speaks of.
bool has_llm_tasks(const scenario& s);

}  // namespace loadgate
