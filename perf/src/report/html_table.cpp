#include "report/html_table.hpp"

namespace loadgate::report {

std::string escape_html(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string table_html(const report_table& t) {
  std::string out = "<h2>" + escape_html(t.title) + "</h2>\n";
  if (!t.note.empty()) out += "<p class=\"note\">" + escape_html(t.note) + "</p>\n";
  if (t.rows.empty()) return out;
  out += "<table>\n<tr>";
  for (const auto& c : t.rows.front()) out += "<th>" + escape_html(c) + "</th>";
  out += "</tr>\n";
  for (std::size_t i = 1; i < t.rows.size(); ++i) {
    out += "<tr>";
    for (const auto& c : t.rows[i]) out += (is_alert(c) ? "<td class=\"bad\">" : "<td>") + escape_html(c) + "</td>";
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

}  // namespace loadgate::report
