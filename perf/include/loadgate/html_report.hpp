#pragma once
// report.html: one self-contained file that opens from disk with no network. Charts are drawn by
// dygraphs (Debian's libjs-dygraphs, inlined when the report is written) from data embedded in the
// page: users, requests/s, latency p50/p95/p99 and failures by kind over time; latency and TTFT as
// HDR percentile plots on log axes; per-adapter latency, cold against warm; the time breakdown as a
// stacked chart; the baseline overlaid when gated; the SLO and gate tables. A Content-Security-
// Policy forbids every fetch, so a page that works offline is the only kind there is.
#include <filesystem>
#include <string>

#include "loadgate/run_evidence.hpp"

namespace loadgate {

// Where dygraph.min.js and dygraph.min.css are: $LOADGATE_DYGRAPHS_DIR, else the folder CMake
// found at configure time (/usr/share/javascript/dygraphs).
std::filesystem::path dygraphs_folder();

// The page. Without dygraphs it still holds every table, and says how to get the charts.
std::string html_report(const run_evidence& e);

}  // namespace loadgate
