#pragma once
// JSON files people open (result.json, baselines): indented, but what is small stays on one line.
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace loadgate::detail {

// Like dump(2), except that an array of primitives (or of arrays of primitives, as histogram
// buckets are) and an object whose values are all such (a histogram, a metric) stay on one line:
// a result holds thousands of buckets, and one line each would bury what people look for. Keys
// stay sorted, so the same value gives the same bytes; a final newline ends the text.
std::string readable_json(const nlohmann::json& j);

}  // namespace loadgate::detail
