#pragma once
// CSV as RFC 4180 writes it: the Locust-format files and matrix.csv.
#include <string>
#include <vector>

namespace loadgate::report {

std::string csv_field(const std::string& text);
std::string csv(const std::vector<std::vector<std::string>>& rows);  // one line per row

}  // namespace loadgate::report
