#pragma once
// Which part of a run this process is, and when the parts begin together:
//   --shard i/N                      explicit (1-based, as Playwright and Jest number shards)
//   LOADGATE_SHARD=i/N               the same, from the environment (a CI matrix sets it)
//   --shards N + JOB_COMPLETION_INDEX  a Kubernetes Indexed Job (index 0 .. N−1 is shard 1 .. N)
//   --start-at 1767225600 | +30s     the shared start: unix seconds, or a delay from now
// and how a shard hands its result over through a log (kubectl logs) instead of a volume.
#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "loadgate/result.hpp"
#include "loadgate/shard.hpp"

namespace loadgate::cli {

struct shard_flags {
  std::string shard;
  std::optional<long long> shards;
  std::string start_at;
  bool print_result = false;
};

void add_shard_flags(CLI::App& command, shard_flags& flags);

// The part: --shard, else --shards N with JOB_COMPLETION_INDEX, else LOADGATE_SHARD; {1, 1} when
// nothing says. Throws configuration_error naming the flag or variable that is wrong.
shard resolve_shard(const shard_flags& flags);
// Unix seconds, or "+30s" from now. A delay is this process's own instant, so it cannot be shared
// by shards started apart: with more than one shard it is refused, saying how to give one time.
std::optional<std::chrono::system_clock::time_point> parse_start_at(std::string_view text, const shard& part);

// The lines around a result printed into a log; `loadgate merge` reads a log that holds them.
inline constexpr std::string_view result_begin_line = "----- loadgate result.json begins -----";
inline constexpr std::string_view result_end_line = "----- loadgate result.json ends -----";
void print_result_block(std::ostream& out, const result& r);
// The result between those lines of `log`; nullopt when the text holds no such block.
std::optional<result> result_in_log(std::string_view log, std::string_view where);

}  // namespace loadgate::cli
