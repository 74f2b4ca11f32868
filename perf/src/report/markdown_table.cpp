#include "report/markdown_table.hpp"

namespace loadgate::report {

// Text as text: causes come from servers (often HTML) and GitHub renders Markdown and inline HTML,
// so '|' (it would end the cell), Markdown's marks and HTML's are escaped; a line break would end
// the table.
std::string markdown_cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\n':
      case '\r': out += ' '; break;
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\\':
      case '|':
      case '*':
      case '_':
      case '`':
      case '[':
      case ']': out += '\\', out += c; break;
      default: out += c;
    }
  }
  return is_alert(text) ? "**" + out + "**" : out;
}

// The first column left, the others right: they are numbers.
std::string markdown_table(const report_table& t) {
  std::string out = "### " + t.title + "\n\n";
  if (!t.note.empty()) out += markdown_cell(t.note) + "\n\n";
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    out += "|";
    for (const auto& c : t.rows[i]) out += " " + markdown_cell(c) + " |";
    out += "\n";
    if (i == 0) {
      out += "|";
      for (std::size_t c = 0; c < t.rows[0].size(); ++c) out += c == 0 ? " :--- |" : " ---: |";
      out += "\n";
    }
  }
  return out + "\n";
}

}  // namespace loadgate::report
