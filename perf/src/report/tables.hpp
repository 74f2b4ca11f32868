#pragma once
// The tables every written report shows (summary.md and report.html), built once from the run's
// evidence so that the two can never disagree. Cells are plain text; a renderer marks the cells
// that say "regression" or "FAILED".
#include <optional>
#include <string>
#include <vector>

#include "loadgate/run_evidence.hpp"

namespace loadgate::report {

struct report_table {
  std::string title;
  std::string note;  // one paragraph above the table, may be empty
  std::vector<std::vector<std::string>> rows;  // the first is the header
};

// "gate passed", "REGRESSION", "baseline create", "INCOMPLETE: interrupted ...", "CLIENT-BOUND: ...", ... and
// ", SLO FAILED" when one was.
std::string state_of(const run_evidence& e);
// The run in three sentences: target, start, duration, model, seed; requests, failures, rate; the
// load generator's event-loop lag and CPU.
std::string run_description(const result& r);
// "started 2026-12-01 23:10:04 UTC" from Unix milliseconds.
std::string utc_text(std::int64_t unix_ms);
// "32 users", "31.5 users" (a window inside a ramp counts at its mean users, so halves are real).
std::string users_text(double load);

// The scraped server metrics, one row per metric (readings, min, mean, max, last); nothing when
// the run did not scrape. The terminal summary prints the same rows.
std::optional<report_table> server_table(const result& r);

// In the order reports show them; a table without rows is left out.
std::vector<report_table> tables_of(const run_evidence& e);

bool is_alert(const std::string& cell);  // "regression", "FAILED"

}  // namespace loadgate::report
