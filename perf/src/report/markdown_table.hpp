#pragma once
// GitHub-flavoured Markdown for the report tables: summary.md, capacity.md and matrix.md.
#include <string>

#include "report/tables.hpp"

namespace loadgate::report {

// A cell's text, escaped so that server text cannot end the cell, the table or start markup;
// alert cells ("regression", "FAILED") in bold.
std::string markdown_cell(const std::string& text);
// "### title", the note, then the table: the first column left, the others right (numbers).
std::string markdown_table(const report_table& t);

}  // namespace loadgate::report
