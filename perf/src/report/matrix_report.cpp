#include "loadgate/matrix_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "detail/atomic_file.hpp"
#include "detail/json_text.hpp"
#include "loadgate/result_files.hpp"
#include "detail/format_number.hpp"
#include "loadgate/gate/metric.hpp"
#include "report/csv_text.hpp"
#include "report/html_table.hpp"
#include "report/markdown_table.hpp"

namespace loadgate {

namespace {

using detail::format_number;

std::optional<std::string> coordinate(const matrix_cell& c, std::string_view axis) {
  for (const auto& [name, value] : c.coordinates)
    if (name == axis) return value;
  return std::nullopt;
}

// The cell's coordinates without one axis: cells that differ only in it are compared.
std::string others(const matrix_cell& c, std::string_view axis) {
  std::string key;
  for (const auto& [name, value] : c.coordinates)
    if (name != axis) key += name + "=" + value + " ";
  return key;
}

std::optional<double> number(const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !std::isfinite(v)) return std::nullopt;
  return v;
}

double ms(const metric& m, const result& r) { return observe(m, r).value / 1000; }

matrix_figures figures_of(const result& r) {
  matrix_figures f;
  f.throughput = observe(throughput(), r).value;
  f.p50_ms = ms(p50(), r);
  f.p95_ms = ms(p95(), r);
  f.p99_ms = ms(p99(), r);
  f.failure_rate = observe(failure_rate(), r).value;
  f.requests = r.total().count();
  if (records_ttft(r)) f.ttft_p95_ms = ms(p95(ttft()), r);
  return f;
}

std::string fixed(double v, const char* format = "%.1f") { return format_number(v, format); }

// The axis charts put on x: the first axis other than replicas whose values are numbers.
std::optional<std::string> x_axis(const std::vector<std::string>& axes, const std::vector<matrix_cell>& cells) {
  for (const auto& axis : axes) {
    if (axis == matrix_replicas_axis) continue;
    const bool numeric = std::all_of(cells.begin(), cells.end(), [&](const matrix_cell& c) {
      const auto v = coordinate(c, axis);
      return v && number(*v);
    });
    if (numeric) return axis;
  }
  return std::nullopt;
}

// ---- matrix.html: two line charts as inline SVG (no script, so no library to inline) -----------

struct series {
  std::string name;
  std::vector<std::pair<double, double>> points;  // sorted by x
};

constexpr std::array<const char*, 8> palette{"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                             "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};

std::string svg_chart(const std::string& title, const std::string& x_label, const std::string& y_label,
                      const std::vector<series>& lines) {
  constexpr double width = 640, height = 320, left = 64, right = 150, top = 30, bottom = 44;
  double x_max = 0, y_max = 0, x_min = INFINITY;
  for (const auto& s : lines)
    for (const auto& [x, y] : s.points) {
      x_min = std::min(x_min, x);
      x_max = std::max(x_max, x);
      y_max = std::max(y_max, y);
    }
  if (!std::isfinite(x_min)) return "";
  x_min = std::min(x_min, 0.0);
  if (x_max <= x_min) x_max = x_min + 1;
  if (y_max <= 0) y_max = 1;
  y_max *= 1.1;
  const auto px = [&](double x) { return left + (x - x_min) / (x_max - x_min) * (width - left - right); };
  const auto py = [&](double y) { return height - bottom - y / y_max * (height - top - bottom); };
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + fixed(width, "%.0f") + "\" height=\"" +
                    fixed(height, "%.0f") + "\" role=\"img\" aria-label=\"" + report::escape_html(title) + "\">\n";
  out += "<text x=\"" + fixed(left, "%.0f") + "\" y=\"18\" class=\"title\">" + report::escape_html(title) + "</text>\n";
  out += "<line x1=\"" + fixed(left) + "\" y1=\"" + fixed(py(0)) + "\" x2=\"" + fixed(width - right) + "\" y2=\"" +
         fixed(py(0)) + "\" class=\"axis\"/>\n";
  out += "<line x1=\"" + fixed(left) + "\" y1=\"" + fixed(top) + "\" x2=\"" + fixed(left) + "\" y2=\"" + fixed(py(0)) +
         "\" class=\"axis\"/>\n";
  for (int i = 0; i <= 4; ++i) {
    const double y = y_max * i / 4, x = x_min + (x_max - x_min) * i / 4;
    out += "<text x=\"" + fixed(left - 6) + "\" y=\"" + fixed(py(y) + 4) + "\" text-anchor=\"end\">" + fixed(y, "%.0f") + "</text>\n";
    out += "<text x=\"" + fixed(px(x)) + "\" y=\"" + fixed(height - bottom + 16) + "\" text-anchor=\"middle\">" +
           fixed(x, "%g") + "</text>\n";
  }
  out += "<text x=\"" + fixed((left + width - right) / 2) + "\" y=\"" + fixed(height - 8) + "\" text-anchor=\"middle\">" +
         report::escape_html(x_label) + "</text>\n";
  out += "<text x=\"14\" y=\"" + fixed((top + height - bottom) / 2) + "\" text-anchor=\"middle\" transform=\"rotate(-90 14 " +
         fixed((top + height - bottom) / 2) + ")\">" + report::escape_html(y_label) + "</text>\n";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto colour = palette[i % palette.size()];
    std::string points;
    for (const auto& [x, y] : lines[i].points) points += fixed(px(x)) + "," + fixed(py(y)) + " ";
    out += "<polyline fill=\"none\" stroke=\"" + std::string{colour} + "\" stroke-width=\"2\" points=\"" + points + "\"/>\n";
    for (const auto& [x, y] : lines[i].points)
      out += "<circle cx=\"" + fixed(px(x)) + "\" cy=\"" + fixed(py(y)) + "\" r=\"3\" fill=\"" + colour + "\"><title>" +
             report::escape_html(lines[i].name) + ": " + fixed(x, "%g") + ", " + fixed(y) + "</title></circle>\n";
    const double ly = top + 16.0 * static_cast<double>(i);
    out += "<rect x=\"" + fixed(width - right + 12) + "\" y=\"" + fixed(ly - 8) + "\" width=\"10\" height=\"10\" fill=\"" +
           colour + "\"/><text x=\"" + fixed(width - right + 28) + "\" y=\"" + fixed(ly + 1) + "\">" +
           report::escape_html(lines[i].name) + "</text>\n";
  }
  return out + "</svg>\n";
}

std::vector<series> lines_of(const std::vector<matrix_cell>& cells, const std::vector<std::optional<matrix_figures>>& figures,
                             const std::string& x, bool latency) {
  std::map<std::string, series> by_line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (!figures[i]) continue;
    const auto key = others(cells[i], x);
    auto& s = by_line[key];
    s.name = key.empty() ? (latency ? "p95" : "throughput") : key.substr(0, key.size() - 1);
    s.points.emplace_back(*number(*coordinate(cells[i], x)), latency ? figures[i]->p95_ms : figures[i]->throughput);
  }
  std::vector<series> out;
  for (auto& [key, s] : by_line) {
    std::sort(s.points.begin(), s.points.end());
    out.push_back(std::move(s));
  }
  // Replica counts in numeric order, not as text ("10" after "2").
  std::stable_sort(out.begin(), out.end(), [](const series& a, const series& b) {
    const auto na = a.name.find('='), nb = b.name.find('=');
    const auto va = na == std::string::npos ? std::nullopt : number(a.name.substr(na + 1, a.name.find(' ') - na - 1));
    const auto vb = nb == std::string::npos ? std::nullopt : number(b.name.substr(nb + 1, b.name.find(' ') - nb - 1));
    return va && vb ? *va < *vb : a.name < b.name;
  });
  return out;
}

report::report_table cells_table(const std::vector<std::string>& axes, const std::vector<matrix_cell>& cells) {
  const auto figures = matrix_figures_of(cells);
  report::report_table t{"Cells", "", {}};
  auto& header = t.rows.emplace_back(axes);
  for (const char* h : {"status", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "failures", "TTFT p95 ms",
                        "scaling efficiency", "SLOs"})
    header.push_back(h);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const auto& c = cells[i];
    auto& row = t.rows.emplace_back();
    for (const auto& axis : axes) row.push_back(coordinate(c, axis).value_or(""));
    if (!figures[i]) {
      row.push_back("FAILED: " + c.failure);
      for (int k = 0; k < 9; ++k) row.push_back("");
      continue;
    }
    const auto& f = *figures[i];
    row.push_back("ran");
    row.push_back(std::to_string(f.requests));
    row.push_back(fixed(f.throughput));
    for (const double v : {f.p50_ms, f.p95_ms, f.p99_ms}) row.push_back(fixed(v));
    row.push_back(fixed(f.failure_rate * 100, "%.2f %%"));
    row.push_back(f.ttft_p95_ms ? fixed(*f.ttft_p95_ms) : "");
    row.push_back(f.scaling_efficiency ? fixed(*f.scaling_efficiency * 100, "%.0f %%") : "");
    if (c.slos.empty()) {
      row.push_back("");
    } else {
      std::size_t failed = 0;
      for (const auto& s : c.slos) failed += s.met ? 0 : 1;
      row.push_back(failed == 0 ? "met" : std::to_string(failed) + " FAILED");
    }
  }
  return t;
}

std::string best_text(const std::vector<matrix_cell>& cells) {
  const auto best = best_cell(cells);
  const bool with_slos = std::any_of(cells.begin(), cells.end(), [](const matrix_cell& c) { return !c.slos.empty(); });
  const std::string under = with_slos ? "that met every SLO" : "with under 1 % failures";
  if (!best) return "No cell " + under + ".";
  const auto f = figures_of(*cells[*best].result);
  return "Best cell " + under + ": " + cells[*best].label() + ", " + fixed(f.throughput) + " req/s at p95 " +
         fixed(f.p95_ms) + " ms.";
}

}  // namespace

std::string matrix_cell::label() const {
  std::string out;
  for (const auto& [name, value] : coordinates) out += (out.empty() ? "" : " ") + name + "=" + value;
  return out;
}

bool matrix_cell::slos_met() const {
  return ran && std::all_of(slos.begin(), slos.end(), [](const slo_check& c) { return c.met; });
}

std::vector<std::optional<matrix_figures>> matrix_figures_of(const std::vector<matrix_cell>& cells) {
  std::vector<std::optional<matrix_figures>> out;
  for (const auto& c : cells) out.push_back(c.ran && c.result ? std::optional{figures_of(*c.result)} : std::nullopt);
  // Scaling efficiency against the fewest replicas on the axis, among cells alike otherwise. When
  // that cell did not run there is no reference: no efficiency, rather than a silent other one.
  std::optional<double> fewest;
  for (const auto& c : cells)
    if (const auto r = coordinate(c, matrix_replicas_axis))
      if (const auto n = number(*r); n && *n > 0 && (!fewest || *n < *fewest)) fewest = n;
  if (!fewest) return out;
  std::map<std::string, double> reference;  // the other coordinates → the fewest replicas' throughput
  for (std::size_t i = 0; i < cells.size(); ++i)
    if (out[i] && number(*coordinate(cells[i], matrix_replicas_axis)) == fewest) reference[others(cells[i], matrix_replicas_axis)] = out[i]->throughput;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const auto n = number(*coordinate(cells[i], matrix_replicas_axis));
    const auto base = reference.find(others(cells[i], matrix_replicas_axis));
    if (!out[i] || !n || base == reference.end() || base->second <= 0) continue;
    out[i]->scaling_efficiency = out[i]->throughput / (*n / *fewest * base->second);
  }
  return out;
}

std::optional<std::size_t> best_cell(const std::vector<matrix_cell>& cells) {
  const auto figures = matrix_figures_of(cells);
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (!figures[i]) continue;
    const bool acceptable = cells[i].slos.empty() ? figures[i]->failure_rate < 0.01 : cells[i].slos_met();
    if (acceptable && (!best || figures[i]->throughput > figures[*best]->throughput)) best = i;
  }
  return best;
}

std::string matrix_csv(const std::vector<std::string>& axes, const std::vector<matrix_cell>& cells) {
  const auto figures = matrix_figures_of(cells);
  std::vector<std::vector<std::string>> rows;
  auto& header = rows.emplace_back(axes);
  for (const char* h : {"status", "failure", "requests", "throughput_rps", "p50_ms", "p95_ms", "p99_ms", "failure_rate",
                        "ttft_p95_ms", "scaling_efficiency", "slos_met", "folder"})
    header.push_back(h);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    auto& row = rows.emplace_back();
    for (const auto& axis : axes) row.push_back(coordinate(cells[i], axis).value_or(""));
    row.push_back(figures[i] ? "ran" : "failed");
    row.push_back(cells[i].failure);
    if (!figures[i]) {
      for (int k = 0; k < 9; ++k) row.push_back("");
    } else {
      const auto& f = *figures[i];
      row.push_back(std::to_string(f.requests));
      row.push_back(fixed(f.throughput, "%.3f"));
      for (const double v : {f.p50_ms, f.p95_ms, f.p99_ms}) row.push_back(fixed(v, "%.3f"));
      row.push_back(fixed(f.failure_rate, "%.6f"));
      row.push_back(f.ttft_p95_ms ? fixed(*f.ttft_p95_ms, "%.3f") : "");
      row.push_back(f.scaling_efficiency ? fixed(*f.scaling_efficiency, "%.4f") : "");
      row.push_back(cells[i].slos.empty() ? "" : (cells[i].slos_met() ? "true" : "false"));
    }
    row.push_back(cells[i].folder);
  }
  return report::csv(rows);
}

std::string matrix_markdown(const std::vector<std::string>& axes, const std::vector<matrix_cell>& cells) {
  std::string out = "## loadgate matrix: " + std::to_string(cells.size()) + " cells\n\n";
  out += report::markdown_cell(best_text(cells)) + "\n\n";
  out += report::markdown_cell("Scaling efficiency = RPS(N) / (N × RPS(1)) at equal other values, against the fewest replicas run (RPS(1) = their RPS per replica); 100 % is linear.") + "\n\n";
  return out + report::markdown_table(cells_table(axes, cells));
}

std::string matrix_html(const std::vector<std::string>& axes, const std::vector<matrix_cell>& cells) {
  const auto figures = matrix_figures_of(cells);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
      "<title>loadgate matrix</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}"
      "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
      "td:first-child,th:first-child{text-align:left}.bad{color:#b00;font-weight:bold}.note{color:#555}"
      "svg text{font-size:12px;fill:#333}svg .title{font-size:14px;font-weight:bold}.axis{stroke:#888}</style>\n"
      "</head><body>\n<h1>loadgate matrix: " + std::to_string(cells.size()) + " cells</h1>\n<p>" +
      report::escape_html(best_text(cells)) + "</p>\n";
  if (const auto x = x_axis(axes, cells)) {
    out += svg_chart("Throughput against " + *x, *x, "req/s", lines_of(cells, figures, *x, false));
    out += svg_chart("p95 latency against " + *x, *x, "ms", lines_of(cells, figures, *x, true));
  } else {
    out += "<p class=\"note\">No numeric axis besides replicas: no chart.</p>\n";
  }
  auto table = cells_table(axes, cells);
  table.note = "Scaling efficiency = RPS(N) / (N × RPS(1)) at equal other values, against the fewest replicas run (RPS(1) = their RPS per replica); 100 % is linear.";
  out += report::table_html(table);
  return out + "</body></html>\n";
}

void write_matrix_cell(const std::filesystem::path& cell_folder, const matrix_cell& c) {
  std::filesystem::create_directories(cell_folder);
  const nlohmann::json j = {{"status", c.ran ? "ran" : "failed"}, {"failure", c.failure}, {"folder", c.folder},
                            {"coordinates", c.coordinates}};
  detail::write_file_atomically(cell_folder / "cell.json", detail::readable_json(j));
}

bool read_matrix_cell(const std::filesystem::path& matrix_folder, const std::filesystem::path& cell_folder, matrix_cell& c) {
  std::ifstream in{cell_folder / "cell.json"};
  if (!in) return false;
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("status", "") != "ran") return false;
  const auto folder = j.value("folder", std::string{});
  if (folder.empty() || !std::filesystem::exists(matrix_folder / folder / "result.json")) return false;
  c.folder = folder;
  c.result = read_result(matrix_folder / folder / "result.json");
  c.ran = true;
  return true;
}

void write_matrix_files(const std::vector<std::string>& axes, const std::vector<matrix_cell>& cells,
                        const std::filesystem::path& folder) {
  std::filesystem::create_directories(folder);
  detail::write_file_atomically(folder / "matrix.csv", matrix_csv(axes, cells));
  detail::write_file_atomically(folder / "matrix.md", matrix_markdown(axes, cells));
  detail::write_file_atomically(folder / "matrix.html", matrix_html(axes, cells));
}

}  // namespace loadgate
