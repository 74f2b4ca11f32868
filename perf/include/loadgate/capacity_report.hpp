#pragma once
// The evidence of a capacity search: capacity.json (the estimate and every point, with the
// comparison when one was made) and capacity.md (the answer and the evidence table: every point's
// load, outcome, runs, achieved rate and each SLO's value with its interval).
#include <filesystem>
#include <optional>
#include <string>

#include "loadgate/gate/capacity_estimate.hpp"
#include "loadgate/gate/capacity_gate.hpp"
#include "loadgate/result.hpp"

namespace loadgate {

// The evidence table as plain rows, the first the header: for the console and capacity.md.
std::vector<std::vector<std::string>> capacity_rows(const capacity_estimate& c);

// The table aligned for a terminal, then the answer line.
std::string capacity_text(const capacity_estimate& c);

std::string capacity_markdown(const capacity_estimate& c, const std::optional<capacity_comparison>& comparison = std::nullopt);

// Keeps a point's evidence in `<capacity_folder>/points/<n>/` (numbered in the order tried): its
// last run's folder, whose SLO checks are the point's pooled values (what decided it), and sets
// p.folder to that folder relative to capacity_folder.
void write_capacity_point(capacity_point& p, const result& last_run, const std::filesystem::path& capacity_folder);

// Writes capacity.json and capacity.md into folder (created if needed), each atomically.
void write_capacity_files(const capacity_estimate& c, const std::optional<capacity_comparison>& comparison,
                          const std::filesystem::path& folder);

}  // namespace loadgate
