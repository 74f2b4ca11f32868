#include "detail/text_table.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace loadgate::detail {

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    // A colour sequence (ESC [ ... m) takes no room on the terminal.
    if (text[i] == '\x1b' && i + 1 < text.size() && text[i + 1] == '[') {
      const auto end = text.find('m', i);
      if (end == std::string_view::npos) break;
      i = end;
      continue;
    }
    // Every byte but UTF-8 continuation bytes (10xxxxxx) starts a code point.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string render_table(const std::vector<std::vector<std::string>>& rows, const std::vector<align>& alignment) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], display_width(row[c]));
  }
  const auto align_of = [&](std::size_t c) {
    return c < alignment.size() ? alignment[c] : (c == 0 ? align::left : align::right);
  };
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      // fmt pads by a count we give it, in display columns, not by its own idea of the width.
      const auto pad = widths[c] - display_width(row[c]);
      if (c > 0) line += "  ";
      line += align_of(c) == align::left ? fmt::format("{}{:{}}", row[c], "", pad) : fmt::format("{:{}}{}", "", pad, row[c]);
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + '\n';
  }
  return out;
}

}  // namespace loadgate::detail
