#include "loadgate/capacity_report.hpp"

#include <nlohmann/json.hpp>

#include "detail/atomic_file.hpp"
#include "detail/json_text.hpp"
#include "detail/text_table.hpp"
#include "loadgate/run_folder.hpp"
#include "report/markdown_table.hpp"

namespace loadgate {

namespace {

std::string interval_text(const slo_estimate& e) {
  if (e.samples == 0) return "no samples";
  const auto unit = e.slo.metric.unit();
  return format_value(unit, e.value) + " [" + format_value(unit, e.low) + ", " + format_value(unit, e.high) + "] " +
         std::string{to_string(e.call)};
}

}  // namespace

std::vector<std::vector<std::string>> capacity_rows(const capacity_estimate& c) {
  std::vector<std::vector<std::string>> rows;
  auto& header = rows.emplace_back(std::vector<std::string>{"#", "load", "outcome", "runs", "achieved"});
  if (!c.points.empty())
    for (const auto& check : c.points.front().checks) header.push_back(check.slo.description());
  header.push_back("why");
  for (std::size_t i = 0; i < c.points.size(); ++i) {
    const auto& p = c.points[i];
    auto& row = rows.emplace_back(std::vector<std::string>{std::to_string(i + 1), format_load(c.by, p.load),
                                                           std::string{to_string(p.outcome)}, std::to_string(p.runs),
                                                           format_value(metric_unit::per_second, p.achieved)});
    for (const auto& check : p.checks) row.push_back(interval_text(check));
    row.push_back(p.reason);
  }
  return rows;
}

std::string capacity_text(const capacity_estimate& c) {
  return detail::render_table(capacity_rows(c)) + "\ncapacity: " + c.summary() + " (" + c.note + ")\n";
}

std::string capacity_markdown(const capacity_estimate& c, const std::optional<capacity_comparison>& comparison) {
  std::string out = "## loadgate capacity: " + report::markdown_cell(c.summary()) + "\n\n" + report::markdown_cell(c.note) + "\n\n";
  if (comparison) out += report::markdown_cell(comparison->message) + "\n\n";
  report::report_table table{"Points tried", "Each point's SLOs are judged with a 95 % interval; a point too close to call runs again.",
                             capacity_rows(c)};
  return out + report::markdown_table(table);
}

void write_capacity_point(capacity_point& p, const result& last_run, const std::filesystem::path& capacity_folder) {
  run_evidence e{last_run, std::nullopt, std::nullopt, {}};
  for (const auto& c : p.checks) {
    const bool met = c.call == slo_call::met || (c.call == slo_call::too_close && c.samples > 0 && c.slo.holds(c.value));
    e.slos.push_back(slo_check{c.slo, metric_value{c.value, c.samples, c.note}, std::nullopt, met});
  }
  const auto folder = create_numbered_folder(capacity_folder / "points");
  write_run_folder(e, folder, {.step_summary = false});
  p.folder = std::filesystem::relative(folder, capacity_folder).string();
}

void write_capacity_files(const capacity_estimate& c, const std::optional<capacity_comparison>& comparison,
                          const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  nlohmann::json j = {{"schema", "loadgate.capacity"}, {"schema_version", 1}, {"capacity", c}};
  if (comparison) j["comparison"] = *comparison;
  detail::write_file_atomically(folder / "capacity.json", detail::readable_json(j));
  detail::write_file_atomically(folder / "capacity.md", capacity_markdown(c, comparison));
}

}  // namespace loadgate
