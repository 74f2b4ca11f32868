#include "loadgate/failure_kind.hpp"

namespace loadgate {

namespace {

// Indexed by the enum's value; the static_assert keeps the table and the enum in step.
constexpr std::array<std::string_view, failure_kind_count> names{
    "connect", "timeout", "reset", "http_4xx", "http_5xx", "overloaded",
    "protocol", "stream_error", "incomplete", "cancelled"};
static_assert(static_cast<std::size_t>(failure_kind::cancelled) + 1 == failure_kind_count);

}  // namespace

std::string_view to_string(failure_kind kind) { return names.at(static_cast<std::size_t>(kind)); }

std::optional<failure_kind> failure_kind_from_string(std::string_view name) {
  for (const auto kind : all_failure_kinds)
    if (to_string(kind) == name) return kind;
  return std::nullopt;
}

}  // namespace loadgate
