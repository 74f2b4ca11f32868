#pragma once
// Durations as people write them: "250ms", "30s", "1.5m", "2h", "500us".
#include <chrono>
#include <string>
#include <string_view>

namespace loadgate {

// Throws configuration_error naming the text and the accepted units when it is not a duration.
std::chrono::nanoseconds parse_duration(std::string_view text);
// The shortest exact-enough form for people: "250ms", "30s", "1.5s".
std::string format_duration(std::chrono::nanoseconds d);

}  // namespace loadgate
