#pragma once
// The files of a load matrix (`loadgate matrix`): matrix.csv (one row per cell), matrix.md (the
// cells, the scaling efficiency and the best cell under the SLOs) and matrix.html (throughput and
// p95 latency against the load axis, one line per replica count; self-contained inline SVG).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loadgate/gate/slo.hpp"
#include "loadgate/result.hpp"

namespace loadgate {

// The axis that is no scenario field: the scale command sets it.
inline constexpr std::string_view matrix_replicas_axis = "replicas";

struct matrix_cell {
  std::vector<std::pair<std::string, std::string>> coordinates;  // axis → value, in the axes' order
  bool ran = false;             // a result exists; otherwise `failure` says why not
  std::string failure;          // the scale command or the run failed: one line
  std::string folder;           // the cell's run folder, relative to the matrix folder
  std::optional<loadgate::result> result;
  std::vector<slo_check> slos;  // checked on the result

  std::string label() const;    // "replicas=2 users=400"
  bool slos_met() const;        // ran, and every SLO met
};

struct matrix_figures {
  double throughput = 0;        // req/s over the run
  double p50_ms = 0, p95_ms = 0, p99_ms = 0;
  double failure_rate = 0;
  std::uint64_t requests = 0;
  std::optional<double> ttft_p95_ms;
  // RPS(N) / (N × RPS(1)) against the cell with the fewest replicas and the same other
  // coordinates (RPS(1) scaled by its replica count when the fewest is not 1); none without a
  // replicas axis or a comparable cell.
  std::optional<double> scaling_efficiency;
};

// Each cell's figures, in the order of cells; cells that did not run get none.
std::vector<std::optional<matrix_figures>> matrix_figures_of(const std::vector<matrix_cell>& cells);

// The cell with the highest throughput whose SLOs were all met (with no SLOs: whose failure rate
// is below 1 %), or none.
std::optional<std::size_t> best_cell(const std::vector<matrix_cell>& cells);

std::string matrix_csv(const std::vector<std::string>& axes, const std::vector<matrix_cell>& cells);
std::string matrix_markdown(const std::vector<std::string>& axes, const std::vector<matrix_cell>& cells);
std::string matrix_html(const std::vector<std::string>& axes, const std::vector<matrix_cell>& cells);

// A cell's cell.json ({"status": "ran" | "failed", "failure", "folder", "coordinates"}), what
// resuming a matrix reads: a cell that ran, and whose result.json is still there, is kept.
void write_matrix_cell(const std::filesystem::path& cell_folder, const matrix_cell& c);
// Fills c's folder and result from an earlier invocation; false when the cell did not run then.
bool read_matrix_cell(const std::filesystem::path& matrix_folder, const std::filesystem::path& cell_folder, matrix_cell& c);

// Writes the three files into folder, each atomically.
void write_matrix_files(const std::vector<std::string>& axes, const std::vector<matrix_cell>& cells,
                        const std::filesystem::path& folder);

}  // namespace loadgate
