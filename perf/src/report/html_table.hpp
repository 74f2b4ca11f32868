#pragma once
// HTML for the report tables: report.html and matrix.html.
#include <string>
#include <string_view>

#include "report/tables.hpp"

namespace loadgate::report {

std::string escape_html(std::string_view text);  // text and attribute values
// <h2>title</h2>, the note, and the table; alert cells get class "bad".
std::string table_html(const report_table& t);

}  // namespace loadgate::report
