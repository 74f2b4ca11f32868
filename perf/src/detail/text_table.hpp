#pragma once
// The one text-table renderer: the end-of-run summary, `loadgate baseline show` and the
// old-vs-new table of a baseline update all line up the same way.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace loadgate::detail {

enum class align { left, right };

// Display columns of UTF-8 text: code points, so "µs" is two wide, not three bytes; ANSI colour
// sequences are zero wide.
std::size_t display_width(std::string_view text);

// Rows of cells, columns two spaces apart, each as wide as its widest cell (in display columns),
// aligned as `alignment` says (missing entries: names left, the rest right); no trailing blanks.
std::string render_table(const std::vector<std::vector<std::string>>& rows, const std::vector<align>& alignment = {});

}  // namespace loadgate::detail
