#pragma once
// The canonical configuration of a scenario: what its baseline's fingerprint covers. Every knob
// that shapes the load goes in (model, users, rates, stages, think time, tasks and their weights,
// durations, seed, deadlines); the target URL does not (it differs between machines running the
// same scenario), nor does the thread count unless set (one per core by default).
//
// A task is code: what is visible of it is its name, its weight and its description (the request
// shapes describe their route and options; a hand-written task may leave it empty, and then
// passes its knobs in `extra`, which gated_run_options::configuration() fills).
#include <nlohmann/json.hpp>

#include "loadgate/scenario.hpp"

namespace loadgate {

// {"scenario": {...knobs...}} plus {"extra": extra} when extra is not null.
nlohmann::json scenario_configuration(const scenario& s, const nlohmann::json& extra = nullptr);

}  // namespace loadgate
