#pragma once
// Classified failures: every failed request is counted under exactly one kind.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace loadgate {

enum class failure_kind : std::uint8_t {
  connect,       // could not connect (refused, unreachable, DNS, TLS handshake)
  timeout,       // connect, request or idle deadline passed
  reset,         // the peer closed or reset the connection mid-request
  http_4xx,      // a 4xx status other than 429
  http_5xx,      // a 5xx status
  overloaded,    // 429, or an `overloaded` error event inside a 200 stream
  protocol,      // unparseable HTTP or body
  stream_error,  // an error event inside a 200 stream (validation, generation, ...)
  incomplete,    // a stream cut before its final event
  cancelled,     // still in flight when the run's grace period ended
};

inline constexpr std::size_t failure_kind_count = 10;

inline constexpr std::array<failure_kind, failure_kind_count> all_failure_kinds{
    failure_kind::connect,  failure_kind::timeout,    failure_kind::reset,
    failure_kind::http_4xx, failure_kind::http_5xx,   failure_kind::overloaded,
    failure_kind::protocol, failure_kind::stream_error, failure_kind::incomplete,
    failure_kind::cancelled};

// The snake_case name used in JSON, reports and SLO messages.
std::string_view to_string(failure_kind kind);
std::optional<failure_kind> failure_kind_from_string(std::string_view name);

}  // namespace loadgate
