#pragma once
// One part of a run split across processes or machines (`loadgate run --shard 2/3`), and what each
// part records about its start, so that the parts merge back into the run exactly.
//
// How a scenario splits: every user (closed model) and every arrival (open model) has an index in
// the whole run, and shard i of N takes those whose index % N == i − 1 (then deals them to its
// threads the same way). Each user and arrival draws from its own random stream keyed by that
// index, so no two shards share a stream, and together the shards replay the unsharded run:
// the same users, the same task mix, the same arrival times. Users, stage targets and
// max_in_flight split with the remainder spread over the first shards; nothing is lost.
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace loadgate {

struct shard {
  std::size_t index = 1;  // 1 .. count, as `--shard 2/3` writes it
  std::size_t count = 1;
  bool operator==(const shard&) const = default;
};

// "2/3" → {2, 3}. Throws configuration_error saying what is wrong (0/3, 4/3, 2 of 3, ...).
shard parse_shard(std::string_view text);
std::string to_string(const shard& s);  // "2/3"
std::string to_string(const std::vector<shard>& shards);  // "1/3, 2/3"

// How many of the items 0 .. total−1 (users, connections) shard `s` takes.
constexpr std::size_t share_of(std::size_t total, const shard& s) {
  return total >= s.index ? (total - s.index) / s.count + 1 : 0;
}

// What a shard's result says about its part: which it was, and how long after the shared start
// (`--start-at`) it actually began its plan. A late shard keeps the shared clock, so its windows
// stay aligned with the others'; what it missed is sent late (open) or started late (closed).
struct shard_start {
  loadgate::shard shard;
  std::chrono::nanoseconds skew{};  // 0 without a shared start
  bool operator==(const shard_start&) const = default;
};

std::vector<shard> shards_of(const std::vector<shard_start>& starts);  // which shards they are

// "1/3 +0.21 ms, 2/3 +0.35 ms": each shard and how late it began, for summaries and reports.
std::string skews_text(const std::vector<shard_start>& starts);

}  // namespace loadgate
