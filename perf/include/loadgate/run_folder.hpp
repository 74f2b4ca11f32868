#pragma once
// A run folder: everything one run leaves, written from its run_evidence.
//   result.json                 the result, with its derived summary (loadgate/run_summary.hpp)
//   gate.json                   the baseline gate's verdict and the SLO checks, when there were any
//   loadgate_*.csv              Locust-compatible CSVs and the LLM and adapter ones (locust_files.hpp)
//   summary.md                  GitHub-flavoured Markdown (markdown_summary.hpp)
//   report.html                 the self-contained report with charts (html_report.hpp)
// Each file is written atomically (the job summary is appended to); `loadgate report FOLDER` writes them all again from result.json
// and gate.json.
#include <filesystem>
#include <string>
#include <vector>

#include "loadgate/run_evidence.hpp"

namespace loadgate {

struct run_folder_options {
  std::string prefix = "loadgate";  // of the CSV files
  // Append summary.md to the file $GITHUB_STEP_SUMMARY names, when it is set (GitHub Actions
  // shows it on the job's page).
  bool step_summary = true;
};

// Writes every file; returns their paths, result.json first.
std::vector<std::filesystem::path> write_run_folder(const run_evidence& e, const std::filesystem::path& folder,
                                                    const run_folder_options& options = {});

// Appends Markdown to the file $GITHUB_STEP_SUMMARY names; nothing when it is not set. Not atomic
// (appending is the contract of that file); a failure to write is ignored, since the job summary
// is a courtesy and the run folder is the record.
void append_step_summary(const std::string& markdown);

// gate.json alone (the SLO checks of a gated test arrive after its runs, from its matchers).
std::filesystem::path write_gate_file(const run_evidence& e, const std::filesystem::path& folder);

// result.json and, when present, gate.json; the baseline gate.json names is read again when it
// still exists with the recorded fingerprint (otherwise the report says the overlays are missing).
run_evidence read_run_folder(const std::filesystem::path& folder);

// <parent>/<n>: the next free number from 1, created atomically, so a rerun never overwrites an
// earlier run (the perf suite: <build>/loadgate/runs/<Suite.Test>/<n>/).
std::filesystem::path create_numbered_folder(const std::filesystem::path& parent);

}  // namespace loadgate
