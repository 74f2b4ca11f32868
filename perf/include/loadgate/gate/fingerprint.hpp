#pragma once
// A scenario's configuration fingerprint: a baseline recorded for another configuration is stale.
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace loadgate {

// FNV-1a, 64 bits: tiny, stable across platforms and versions, and ample to tell configurations
// apart (this is change detection, not security).
std::uint64_t fnv1a_64(std::string_view bytes);

// "fnv1a64:<16 hex digits>" over configuration.dump(): nlohmann keeps object keys sorted, so the
// dump is canonical — the same configuration gives the same fingerprint whatever the insertion
// order. The caller chooses what goes in (users, rates, tasks, durations, target kind; not the
// target URL, which differs between machines running the same scenario).
std::string fingerprint(const nlohmann::json& configuration);

}  // namespace loadgate
