#pragma once
// What one run leaves for people and CI to open: the result, and when it was gated the baseline
// it was compared with and the verdict, and the SLOs it was held to. Every report (summary.md,
// report.html, the console tables) is drawn from this value, and `loadgate report` rebuilds it
// from a run folder (loadgate/run_folder.hpp).
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "loadgate/gate/baseline.hpp"
#include "loadgate/gate/gate.hpp"
#include "loadgate/gate/slo.hpp"
#include "loadgate/result.hpp"

namespace loadgate {

// The gate's side of one run: gate.json.
struct gate_record {
  baseline_action action = baseline_action::compare;
  std::filesystem::path baseline_file;
  std::string baseline_fingerprint;  // of the baseline the run was compared with ("" when none)
  std::string baseline_created;
  std::size_t run = 1;                    // this run's place among the gated runs (1 = the first)
  std::optional<gate_decision> decision;  // compare: the decision after this run
  std::string message;                    // for people: what happened to the baseline

  // compare: the decision passed; create/update: the baseline was written; missing/stale: false.
  bool passed() const;
};

struct run_evidence {
  result current;
  std::optional<gate_record> gate;
  // The baseline itself, for the overlays of the report: when it is at hand (a run folder keeps
  // only its path; `loadgate report` reads it again if its fingerprint still matches).
  std::optional<baseline> against;
  std::vector<slo_check> slos;

  // The gate passed (or there was none) and every SLO was met.
  bool passed() const;
};

}  // namespace loadgate
