#pragma once
// Locust's --csv files, with Locust's file names and column headers, so that scripts written for
// Locust read a loadgate run unchanged (reference: /work/shared/reference/reports.md):
//   <prefix>_stats.csv          a row per request name, then the Aggregated row
//   <prefix>_stats_history.csv  the Aggregated row of every one-second window
//   <prefix>_failures.csv       a row per request name and failure kind
//   <prefix>_exceptions.csv     header only: loadgate has no user code that throws
// and beside them what Locust has no columns for:
//   <prefix>_llm.csv            TTFT, TPOT, inter-token gaps, token throughput, goodput and the
//                               time breakdown per LLM request name
//   <prefix>_adapters.csv       per adapter: all, cold and warm requests
//
// Where loadgate differs, on purpose: times are milliseconds with three decimals (exact to the
// histogram's 0.1 %, not Locust's two significant digits); percentiles are of successful requests;
// the history's percentiles are of each second, not cumulative; loadgate does not record body
// sizes, so the content-size columns are 0; Type is POST for LLM requests, otherwise the method a
// name starts with ("GET /health"), else HTTP.
#include <filesystem>
#include <string_view>
#include <vector>

#include "loadgate/result.hpp"

namespace loadgate {

// Writes the six files into `folder` (atomically, each); returns their paths.
std::vector<std::filesystem::path> write_locust_files(const result& r, const std::filesystem::path& folder,
                                                      std::string_view prefix = "loadgate");

}  // namespace loadgate
