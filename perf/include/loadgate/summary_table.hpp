#pragma once
// The end-of-run summary: one row per request name and a total, latencies in milliseconds.
#include <string>

#include "loadgate/result.hpp"

namespace loadgate {

std::string summary_table(const result& r);

}  // namespace loadgate
