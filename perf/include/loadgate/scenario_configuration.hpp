#pragma once
// The canonical configuration of a scenario: what its baseline's fingerprint covers. The scenario
// is written with its one JSON mapping (loadgate/scenario_file.hpp), so a baseline's stored
// "scenario" is a scenario file: every knob that shapes the load (the load model and its knobs,
// stages, tasks and their weights, durations, seed, deadlines, the per-request SLO); not the target
// URL (it differs between machines running the same scenario), nor the thread count unless set.
//
// A task is code: what is visible of it is its name, its weight and its description (the request
// shapes describe their route and options; a hand-written task may leave it empty, and then
// passes its knobs in `extra`, which gated_run_options::configuration() fills).
#include <string_view>

#include <nlohmann/json.hpp>

#include "loadgate/scenario.hpp"

namespace loadgate {

// {"scenario": {...knobs...}} plus {"extra": extra} when extra is not null. The values of request
// headers with secret-like names are replaced by redacted_value: a configuration is written into
// result.json, baselines and reports, and a rotated token must not make a baseline stale.
nlohmann::json scenario_configuration(const scenario& s, const nlohmann::json& extra = nullptr);

// Any name holding (case-insensitive) "auth", "cookie", "token", "secret", "password", "key",
// "credential", "session" or "signature": Authorization, Cookie, X-Api-Key, Ocp-Apim-Subscription-Key...
bool is_secret_header(std::string_view name);
inline constexpr const char* redacted_value = "<redacted>";

}  // namespace loadgate
