// `loadgate run`: one run against a URL, from flags or a scenario file.
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/sharding.hpp"
#include "cli/signal_stop.hpp"
#include "cli/specs.hpp"
#include "cli/target_flags.hpp"
#include "loadgate/dialect_detection.hpp"
#include "loadgate/duration_text.hpp"
#include "loadgate/error.hpp"
#include "loadgate/llm/server_metrics.hpp"
#include "loadgate/metrics_endpoint.hpp"
#include "loadgate/progress_line.hpp"
#include "loadgate/result_files.hpp"
#include "loadgate/run_folder.hpp"
#include "loadgate/run.hpp"
#include "loadgate/scenario_configuration.hpp"
#include "loadgate/scenario_file.hpp"
#include "loadgate/summary_table.hpp"

namespace loadgate::cli {
namespace {

// Flag values; which were given is asked of CLI11 (command.count), so only those override the
// scenario, and every default comes from the scenario value itself.
struct run_flags {
  target_flags service;  // URL, --insecure, --ca-file
  std::string scenario_file;
  std::string name;
  std::string method;
  std::string path = "/";
  std::string body;
  std::string body_file;
  std::vector<std::string> headers;
  long long users = 0;
  double spawn_rate = 0;
  std::string duration;
  double rate = 0;
  std::string arrivals;
  long long max_in_flight = 0;
  std::vector<std::string> stages;
  std::string think;
  std::string close_idle_after;
  unsigned long long seed = 0;
  long long threads = 0;
  std::string grace;
  std::string connect_timeout;
  std::string request_timeout;
  std::string idle_timeout;
  std::string out = "results";
  bool quiet = false;
  std::vector<std::string> slos;
  std::string dialect;
  std::string scrape = "auto";
  std::vector<std::string> scrape_series;
  shard_flags sharding;
};

std::size_t positive_count(long long value, std::string_view flag) {
  if (value < 1) throw configuration_error(std::string{flag} + " must be at least 1, got " + std::to_string(value));
  return static_cast<std::size_t>(value);
}

std::string read_body_file(const std::string& file) {
  std::ifstream in{file, std::ios::binary};
  if (!in) throw configuration_error("--body-file " + file + ": cannot open the file");
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

task request_task(const run_flags& f) {
  const std::string body = f.body_file.empty() ? f.body : read_body_file(f.body_file);
  const std::string method = f.method.empty() ? (body.empty() ? "GET" : "POST") : f.method;
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& h : f.headers) {
    const auto colon = h.find(':');
    if (colon == std::string::npos || colon == 0) {
      throw configuration_error("--header '" + h + "': expected 'Name: value'");
    }
    const auto value_start = h.find_first_not_of(' ', colon + 1);
    headers.emplace_back(h.substr(0, colon), value_start == std::string::npos ? "" : h.substr(value_start));
  }
  return http_task(method + " " + f.path, method, f.path, body, std::move(headers));
}

// Flags given on the command line override the scenario file; the rest keep the file's values.
scenario build_scenario(const CLI::App& command, const run_flags& f) {
  const auto given = [&](const char* flag) { return command.count(flag) > 0; };
  scenario s = f.scenario_file.empty() ? scenario{"run"} : load_scenario_file(f.scenario_file);
  if (f.scenario_file.empty()) s.task(request_task(f));
  if (!f.name.empty()) s.name(f.name);
  // A flag of the other load model replaces the file's model with that one (its defaults, then
  // the flags); flags of both models at once are a mistake.
  const bool closed_flags = given("--users") || given("--spawn-rate") || given("--think") || given("--close-idle-after");
  const bool open_flags = given("--rate") || given("--arrivals") || given("--max-in-flight");
  if (closed_flags && open_flags)
    throw configuration_error("give closed-model flags (--users, --spawn-rate, --think, --close-idle-after) or open-model flags (--rate, "
                              "--arrivals, --max-in-flight), not both");
  if (closed_flags && s.open_model()) s.load(closed_load{});
  if (open_flags && !s.open_model()) s.load(open_load{});
  if (given("--users")) s.users(positive_count(f.users, "--users"));
  if (given("--spawn-rate")) s.spawn_rate(f.spawn_rate);
  if (given("--duration")) s.duration(parse_duration(f.duration));
  if (given("--rate")) s.rate(f.rate);
  if (given("--arrivals")) s.arrivals(parse_arrivals(f.arrivals));
  if (given("--max-in-flight")) s.max_in_flight(positive_count(f.max_in_flight, "--max-in-flight"));
  if (given("--think")) s.think_time(parse_think_time(f.think));
  if (given("--close-idle-after")) s.close_idle_after(parse_duration(f.close_idle_after));
  if (given("--seed")) s.seed(f.seed);
  if (given("--threads")) s.threads(positive_count(f.threads, "--threads"));
  if (given("--grace")) s.grace(parse_duration(f.grace));
  if (given("--connect-timeout")) s.connect_timeout(parse_duration(f.connect_timeout));
  if (given("--timeout")) s.request_timeout(parse_duration(f.request_timeout));
  if (given("--idle-timeout")) s.idle_timeout(parse_duration(f.idle_timeout));
  if (given("--stage")) {
    load_shape shape;
    for (const auto& spec : f.stages) shape.push_back(parse_stage(spec));
    // Stages are arrival rates in the open model (--rate, --arrivals), users in the closed one.
    s.stages(std::move(shape));
  }
  s.validate();
  return s;
}

// Later than this, a shard's start is worth a warning: at 1,000 arrivals/s it is 10 arrivals.
constexpr auto noticeable_lateness = std::chrono::milliseconds{10};

void announce_wait(std::ostream& out, const run_options& options) {
  const auto ahead = *options.start_at - std::chrono::system_clock::now();
  if (ahead <= std::chrono::system_clock::duration::zero()) return;
  out << (options.shard.count > 1 ? "shard " + to_string(options.shard) + ": " : std::string{}) << "waiting "
      << format_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(ahead))
      << " for the shared start (clocks are assumed in sync, by NTP)\n";
}

// Every shard says how late it began; a merge lists them all.
void report_start(std::ostream& out, const shard_start& start) {
  out << "shard " << to_string(start.shard) << " began " << format_duration(start.skew) << " after the shared start";
  if (start.skew > noticeable_lateness) out << ": what it missed went out late (arrivals) or started late (users)";
  out << '\n';
}

// --dialect: the dialect of the scenario's dialect-neutral and OpenAI-route tasks, named or (auto)
// asked of the target before the load. Each shard asks for itself; a target that answers its
// shards differently is not one server.
scenario with_dialect_flag(const scenario& s, const std::string& flag, const target& where) {
  // A scenario with no task that takes a dialect fails here, before any request.
  if (flag == "auto") (void)with_dialect(s, llm::dialect::lorax);
  const auto found = resolve_dialect(flag, where, "--dialect ");
  if (flag == "auto") std::cerr << "dialect: " << llm::to_string(found.dialect) << " (" << found.evidence << ")\n";
  return with_dialect(s, found.dialect);
}

// --scrape: the server's metrics during the run (plan_scrape: for LLM tasks, by default the
// target's /metrics when it answers).
std::optional<llm::scrape_options> scrape_plan(const run_flags& f, const scenario& s, const target& where) {
  auto plan = plan_scrape({.where = f.scrape, .series = f.scrape_series}, s, where);
  if (plan) std::cerr << "server metrics: " << plan->source.url() << " every " << format_duration(plan->interval) << "\n";
  return plan;
}

int run(const CLI::App& command, const run_flags& f) {
  const target where = parse_target(f.service);
  std::vector<slo> slos;  // read before anything is sent: a typo costs no run
  for (const auto& spec : f.slos) slos.push_back(parse_slo(spec));
  const scenario s = f.dialect.empty() ? build_scenario(command, f) : with_dialect_flag(build_scenario(command, f), f.dialect, where);

  run_options options;
  options.shard = resolve_shard(f.sharding);
  options.start_at = parse_start_at(f.sharding.start_at, options.shard);
  const bool sharded = options.shard.count > 1;
  if (options.start_at) {
    validate_start_at(*options.start_at, s);
    announce_wait(std::cerr, options);
  }

  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  progress_printer printer{std::cerr, terminal};
  if (!f.quiet) options.on_progress = [&printer](const progress& p) { printer.update(p); };
  run_stop stop;
  const signal_stop signals{stop};  // before loadgate::run starts its threads
  options.stop = &stop;
  options.scrape = scrape_plan(f, s, where);

  result r = loadgate::run(s, where, options);
  printer.finish();
  // The whole scenario's configuration, so that the merged shards gate against its baseline.
  r.info.configuration = scenario_configuration(s).dump();
  if (options.start_at && sharded) report_start(std::cerr, r.info.shard_starts.front());

  run_evidence evidence{r, std::nullopt, std::nullopt, {}};
  for (const auto& one : slos) evidence.slos.push_back(check(one, r));
  const auto folder = create_run_folder(
      f.out, sharded ? s.name() + "-shard-" + std::to_string(options.shard.index) + "-of-" + std::to_string(options.shard.count)
                     : s.name());
  write_run_folder(evidence, folder);
  if (f.sharding.print_result) print_result_block(std::cout, r);
  std::cout << summary_table(r, {colour_wanted(STDOUT_FILENO)});
  for (const auto& c : evidence.slos) std::cout << (c.met ? "SLO met: " : "SLO FAILED: ") << c.message() << '\n';
  std::cout << "result: " << (folder / "result.json").string() << "\nreport: " << (folder / "report.html").string()
            << '\n';
  if (r.info.interrupted) return signals.exit_code();
  return evidence.passed() ? exit_completed : exit_regression;
}

}  // namespace

action add_run_command(CLI::App& app) {
  auto flags = std::make_shared<run_flags>();
  CLI::App* command = app.add_subcommand("run", "Run load against a URL; write result.json, CSVs, summary.md and report.html into a new folder");
  add_target_flags(*command, flags->service);
  command->add_option("--scenario", flags->scenario_file, "Scenario JSON file (flags below override it)");
  command->add_option("--name", flags->name, "Run name, used in the result folder's name");
  command->add_option("--method", flags->method, "HTTP method (default: GET, or POST with a body)");
  command->add_option("--path", flags->path, "Request path (default /)");
  command->add_option("--body", flags->body, "Request body, sent as application/json");
  command->add_option("--body-file", flags->body_file, "Read the request body from a file")->excludes("--body");
  command->add_option("--header", flags->headers, "Extra header 'Name: value' (repeatable)");
  // Defaults, as the help states them, are read from the scenario value.
  const scenario defaults;
  const closed_load closed;
  const open_load open;
  const auto by_default = [](const std::string& text, const std::string& value) { return text + " (default " + value + ")"; };
  command->add_option("--users", flags->users, by_default("Virtual users, closed model", std::to_string(closed.users)));
  command->add_option("--spawn-rate", flags->spawn_rate, "Users started per second (default: all at once)");
  command->add_option("--duration", flags->duration, by_default("Run length, e.g. 30s or 5m", format_duration(defaults.duration())));
  command->add_option("--rate", flags->rate, "Arrivals per second: selects the open model");
  command->add_option("--arrivals", flags->arrivals, "constant | poisson | gamma:BURSTINESS (default constant): selects the open model");
  command->add_option("--max-in-flight", flags->max_in_flight,
                      by_default("Open model: requests in flight at most", std::to_string(open.max_in_flight)));
  command->add_option("--stage", flags->stages, "TARGET:RAMP:HOLD, repeatable; users, or arrivals/s in the open model");
  command->add_option("--think", flags->think, "none | constant:1s | between:0.5s:1.5s | pacing:2s | throughput:0.5 (default none)");
  command->add_option("--close-idle-after", flags->close_idle_after,
                      "A think time at least this long closes the user's connection first, e.g. 30s (0s: after every "
                      "task); idle users then hold no socket (default: connections stay open)");
  command->add_option("--seed", flags->seed, by_default("Seed for task choice, think times, arrivals", std::to_string(defaults.seed())));
  command->add_option("--threads", flags->threads, "Worker threads (default: one per CPU this process may use)");
  command->add_option("--grace", flags->grace, by_default("Time for requests in flight at the end", format_duration(defaults.grace())));
  command->add_option("--connect-timeout", flags->connect_timeout, by_default("Connect deadline", format_duration(defaults.connect_timeout())));
  command->add_option("--timeout", flags->request_timeout, by_default("Whole-request deadline", format_duration(defaults.request_timeout())));
  command->add_option("--idle-timeout", flags->idle_timeout,
                      by_default("Longest silence inside a response", format_duration(defaults.idle_timeout())));
  command->add_option("--out", flags->out, "Folder for run folders (default ./results)");
  command->add_flag("--quiet", flags->quiet, "No live progress line");
  command->add_option("--slo", flags->slos,
                      "An SLO to check, repeatable: p95<500ms, ttft.p95[stream]<300ms, failure_rate<1%, throughput>=50, "
                      "achieved_rate>=99% (open model: arrivals sent on time), max(server.queue_length)<50 (a scraped metric: max, mean or min); "
                      "exit 1 when one fails");
  command->add_option("--dialect", flags->dialect,
                      "lorax | vllm | openai | auto: whose extensions the scenario's OpenAI-route tasks send (auto: ask "
                      "the target's /info and /v1/models first; default: each task's own, lorax unless it says)");
  command->add_option("--scrape", flags->scrape,
                      "URL of the server's Prometheus metrics, read every second into the run's time series; off: none "
                      "(default auto: for LLM tasks, the target's /metrics when it answers)");
  command->add_option("--scrape-series", flags->scrape_series,
                      "Another metric to keep from the scraped text, by name (summed over its labels), repeatable: "
                      "kube_deployment_status_replicas");
  add_shard_flags(*command, flags->sharding);
  return [command, flags] { return run(*command, *flags); };
}

}  // namespace loadgate::cli
