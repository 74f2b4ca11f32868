#include "loadgate/shard.hpp"

#include <charconv>
#include <cstdio>

#include "loadgate/error.hpp"

namespace loadgate {
namespace {

bool parse_count(std::string_view text, std::size_t& out) {
  const auto* end = text.data() + text.size();
  const auto [at, error] = std::from_chars(text.data(), end, out);
  return error == std::errc{} && at == end && !text.empty();
}

}  // namespace

shard parse_shard(std::string_view text) {
  const auto fail = [&](const std::string& why) -> shard {
    throw configuration_error{"shard '" + std::string{text} + "': " + why};
  };
  const auto slash = text.find('/');
  shard s;
  if (slash == std::string_view::npos || !parse_count(text.substr(0, slash), s.index) ||
      !parse_count(text.substr(slash + 1), s.count))
    return fail("expected i/N, e.g. 2/3 for the second of three shards");
  if (s.count < 1) return fail("N must be at least 1");
  if (s.index < 1 || s.index > s.count)
    return fail("i must be between 1 and " + std::to_string(s.count) + " (shards are numbered from 1)");
  return s;
}

std::string to_string(const shard& s) { return std::to_string(s.index) + "/" + std::to_string(s.count); }

std::string to_string(const std::vector<shard>& shards) {
  std::string text;
  for (const auto& s : shards) text += (text.empty() ? "" : ", ") + to_string(s);
  return text;
}

std::vector<shard> shards_of(const std::vector<shard_start>& starts) {
  std::vector<shard> shards;
  for (const auto& s : starts) shards.push_back(s.shard);
  return shards;
}

std::string skews_text(const std::vector<shard_start>& starts) {
  std::string text;
  for (const auto& s : starts) {
    char skew[32];
    std::snprintf(skew, sizeof skew, " +%.2f ms", std::chrono::duration<double, std::milli>(s.skew).count());
    text += (text.empty() ? "" : ", ") + to_string(s.shard) + skew;
  }
  return text;
}

}  // namespace loadgate
