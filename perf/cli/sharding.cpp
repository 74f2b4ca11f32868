#include "cli/sharding.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <ostream>

#include <nlohmann/json.hpp>

#include "loadgate/duration_text.hpp"
#include "loadgate/error.hpp"

namespace loadgate::cli {

void add_shard_flags(CLI::App& command, shard_flags& flags) {
  command.add_option("--shard", flags.shard, "Run the i-th of N parts of the scenario, e.g. 2/3 (also LOADGATE_SHARD=i/N)");
  command.add_option("--shards", flags.shards, "N parts, this one chosen by JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)");
  command.add_option("--start-at", flags.start_at,
                     "Begin the plan at this instant, the same for every shard: unix seconds (date +%s); +30s from now for one process");
  command.add_flag("--print-result", flags.print_result,
                   "Also print result.json to stdout between marker lines, for collecting shards from logs");
}

namespace {

const char* environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

std::size_t shard_count(long long shards) {
  if (shards < 1) throw configuration_error{"--shards must be at least 1, got " + std::to_string(shards)};
  return static_cast<std::size_t>(shards);
}

shard from_job_index(const char* index, std::size_t shards) {
  const std::string_view text{index};
  std::size_t i = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), i);
  if (error != std::errc{} || end != text.data() + text.size() || i >= shards)
    throw configuration_error{"JOB_COMPLETION_INDEX='" + std::string{text} + "' must be an index 0 .. " +
                              std::to_string(shards - 1) + " for --shards " + std::to_string(shards)};
  return {i + 1, shards};
}

// The latest unix time taken for seconds; later ones are milliseconds or microseconds by mistake.
constexpr double latest_unix_seconds = 4102444800;  // 2100-01-01

}  // namespace

shard resolve_shard(const shard_flags& flags) {
  const std::size_t count = flags.shards ? shard_count(*flags.shards) : 0;  // 0: --shards not given
  shard chosen;
  if (!flags.shard.empty()) {
    chosen = parse_shard(flags.shard);
  } else if (const char* index = environment("JOB_COMPLETION_INDEX"); count != 0 && index) {
    return from_job_index(index, count);  // a pod's own index beats a variable baked into the image
  } else if (const char* from_environment = environment("LOADGATE_SHARD")) {
    try {
      chosen = parse_shard(from_environment);
    } catch (const configuration_error& e) {
      throw configuration_error{std::string{"LOADGATE_SHARD: "} + e.what()};
    }
  } else if (count != 0) {
    throw configuration_error{"--shards " + std::to_string(count) +
                              " takes the shard from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job sets it), which is "
                              "not set: give --shard i/N instead"};
  } else {
    return {};
  }
  if (count != 0 && chosen.count != count)
    throw configuration_error{"shard " + to_string(chosen) + " is not one of --shards " + std::to_string(count)};
  return chosen;
}

std::optional<std::chrono::system_clock::time_point> parse_start_at(std::string_view text, const shard& part) {
  if (text.empty()) return std::nullopt;
  if (text.front() == '+') {
    const auto delay = parse_duration(text.substr(1));
    if (part.count > 1)
      throw configuration_error{"--start-at " + std::string{text} + ": each shard would count the delay from its own "
                                "start; give every shard one unix time: T=$(( $(date +%s) + " +
                                std::to_string(std::chrono::ceil<std::chrono::seconds>(delay).count()) + " )), then --start-at $T"};
    return std::chrono::system_clock::now() + std::chrono::duration_cast<std::chrono::system_clock::duration>(delay);
  }
  double seconds = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(seconds) || seconds <= 0)
    throw configuration_error{"--start-at '" + std::string{text} +
                              "': expected unix seconds (date +%s, e.g. 1767225600) or a delay such as +30s"};
  if (seconds > latest_unix_seconds)
    throw configuration_error{"--start-at " + std::string{text} + ": that is after the year 2100; give unix seconds "
                              "(date +%s), not milliseconds"};
  return std::chrono::system_clock::time_point{
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::duration<double>{seconds})};
}

void print_result_block(std::ostream& out, const result& r) {
  // Indented, so that no line is long: container runtimes split long log lines.
  out << result_begin_line << '\n' << nlohmann::json(r).dump(1) << '\n' << result_end_line << '\n';
}

std::optional<result> result_in_log(std::string_view log, std::string_view where) {
  const auto begin = log.find(result_begin_line);
  if (begin == std::string_view::npos) return std::nullopt;
  const auto body = begin + result_begin_line.size();
  const auto end = log.find(result_end_line, body);
  if (end == std::string_view::npos)
    throw configuration_error{std::string{where} + ": the printed result is cut off (no '" + std::string{result_end_line} +
                              "' line): collect the whole log"};
  try {
    return nlohmann::json::parse(log.substr(body, end - body)).get<result>();
  } catch (const nlohmann::json::exception& e) {
    throw configuration_error{std::string{where} + ": the printed result is not valid JSON: " + e.what()};
  }
}

}  // namespace loadgate::cli
