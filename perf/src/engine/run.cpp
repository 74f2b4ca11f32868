// loadgate::run: validates, prepares, starts the workers together, reports progress from the
// calling thread, and merges what the workers recorded.
#include "loadgate/run.hpp"

#include <algorithm>
#include <barrier>
#include <cstdio>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/file_limit.hpp"
#include "engine/load_targets.hpp"
#include "engine/metrics_scraper.hpp"
#include "engine/run_context.hpp"
#include "engine/worker.hpp"
#include "loadgate/error.hpp"
#include "protocol/connection_settings.hpp"
#include "protocol/reachability.hpp"

namespace loadgate {
namespace {

using workers = std::vector<std::unique_ptr<engine::worker>>;

// Progress is sampled a little after each window closes, when every worker (whose watchdog runs
// at least every 10 ms) has handed that window over.
constexpr auto handover_margin = std::chrono::milliseconds{25};

// No thread without users or connections of this shard to drive.
std::size_t thread_count(const scenario& s, const shard& part) {
  return std::min(s.effective_threads(), std::max<std::size_t>(1, share_of(engine::peak_demand(s), part)));
}

// A shared start further ahead than this is taken for a mistake (milliseconds given as seconds,
// a wrong clock) rather than waited for.
constexpr auto longest_wait = std::chrono::hours{1};

// The steady-clock instant of a wall-clock one; the run's clock is the steady one.
clock::time_point steady_instant(std::chrono::system_clock::time_point start_at) {
  return clock::now() + (start_at - std::chrono::system_clock::now());
}

// A shard with none of the scenario's users or connections would run nothing and say nothing.
void check_shard(const scenario& s, const shard& part) {
  if (part.count < 1 || part.index < 1 || part.index > part.count)
    throw configuration_error{"run_options.shard " + to_string(part) + ": shards are numbered 1 .. N"};
  const auto demand = engine::peak_demand(s);
  if (share_of(demand, part) == 0)
    throw configuration_error{"shard " + to_string(part) + " would get none of the scenario's " + std::to_string(demand) +
                              (s.open_model() ? " requests in flight (max_in_flight)" : " users") + ": use at most " +
                              std::to_string(demand) + " shards"};
}

}  // namespace

void validate_start_at(std::chrono::system_clock::time_point start_at, const scenario& s) {
  const auto ahead = std::chrono::duration_cast<std::chrono::nanoseconds>(start_at - std::chrono::system_clock::now());
  const auto seconds = [](std::chrono::nanoseconds d) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", std::chrono::duration<double>(d).count());
    return std::string{text};
  };
  if (ahead > longest_wait)
    throw configuration_error{"the shared start is " + seconds(ahead) + " ahead, more than an hour: give a unix time in "
                              "seconds (date +%s) or a delay such as +30s"};
  if (-ahead >= s.duration())
    throw configuration_error{"the shared start passed " + seconds(-ahead) + " ago, more than the run's " +
                              seconds(s.duration()) + ": this shard would send nothing; give every shard a later start"};
}

namespace {

// Counts the workers still running; the progress loop waits on it.
class running_workers {
 public:
  explicit running_workers(std::size_t n) : running_{n} {}
  void done() {
    {
      const std::lock_guard lock{mutex_};
      --running_;
    }
    changed_.notify_all();
  }
  // False when `deadline` came first.
  bool wait_until(clock::time_point deadline) {
    std::unique_lock lock{mutex_};
    return changed_.wait_until(lock, deadline, [this] { return running_ == 0; });
  }
  void wait() {
    std::unique_lock lock{mutex_};
    changed_.wait(lock, [this] { return running_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t running_;
};

progress snapshot(const engine::run_context& context, const workers& all) {
  progress p;
  p.elapsed = clock::now() - context.plan.start;
  p.planned = context.s.duration();
  // The newest window that every worker has handed over.
  std::optional<std::size_t> window = std::numeric_limits<std::size_t>::max();
  for (const auto& w : all) {
    const auto share = w->recorder().share();
    p.requests += share.requests;
    p.failures += share.failures;
    p.active_users += share.active;
    const auto index = w->recorder().closed_window_index();
    window = index && window ? std::optional{std::min(*window, *index)} : std::nullopt;
  }
  if (window) {
    tally last;
    for (const auto& w : all) w->recorder().add_closed_window(*window, last);
    p.requests_per_second = static_cast<double>(last.count()) / std::chrono::duration<double>(time_series::window_length).count();
    p.p50 = last.latency().duration_at_percentile(50);
    p.p95 = last.latency().duration_at_percentile(95);
  }
  return p;
}

void report_progress(const engine::run_context& context, const workers& all, running_workers& running,
                     const run_options& options) {
  if (!options.on_progress || options.progress_interval <= std::chrono::milliseconds::zero()) return running.wait();
  auto next = context.plan.start + options.progress_interval + handover_margin;
  while (!running.wait_until(next)) {
    options.on_progress(snapshot(context, all));
    next += options.progress_interval;
  }
}

// When a run_stop asked for the run to end early, by the run's clock. Written by the stop's
// listener (under run_stop's lock), read once the listener is detached.
struct stop_times {
  std::optional<clock::time_point> wind_down;
  std::optional<clock::time_point> cancel;
};

// Routes a run_stop's requests to the workers for as long as it lives. Attached before the
// workers start, so that a stop asked before the start reaches them before their first task.
class stop_listener {
 public:
  stop_listener(run_stop* stop, const engine::run_context& context, const workers& all, stop_times& times)
      : stop_{stop} {
    if (!stop_) return;
    stop_->on_request([this, &context, &all, &times](run_stop::step step) {
      const auto now = clock::now();
      if (!times.wind_down) times.wind_down = now;
      if (step == run_stop::step::cancel_now) times.cancel = now;
      const auto cancel_at = step == run_stop::step::cancel_now ? now : now + context.s.grace();
      for (const auto& w : all) w->wind_down(cancel_at);
      {
        const std::lock_guard lock{mutex_};
        stopped_ = true;
      }
      asked_.notify_all();
    });
  }
  ~stop_listener() {
    if (stop_) stop_->on_request(nullptr);
  }
  stop_listener(const stop_listener&) = delete;
  stop_listener& operator=(const stop_listener&) = delete;

  // Sleeps until `t`, or less if the run is stopped meanwhile.
  void sleep_until(clock::time_point t) {
    std::unique_lock lock{mutex_};
    asked_.wait_until(lock, t, [this] { return stopped_; });
  }

 private:
  run_stop* stop_;
  std::mutex mutex_;
  std::condition_variable asked_;
  bool stopped_ = false;
};

// Starts every worker at once (a barrier sets the start time: now, or the shared start), then
// reports progress from this thread until they are all done. Returns how late the workers began
// after the shared start (zero without one).
std::chrono::nanoseconds run_workers(engine::run_context& context, const workers& all, const run_options& options,
                                     std::optional<clock::time_point> shared_start, stop_times& stopped,
                                     std::optional<engine::metrics_scraper>& scraper) {
  running_workers running{all.size()};
  std::chrono::nanoseconds late{};
  std::barrier start_together{static_cast<std::ptrdiff_t>(all.size() + 1), [&]() noexcept {
                                const auto now = clock::now();
                                const auto start = shared_start.value_or(now);
                                late = std::max(std::chrono::nanoseconds{}, now - start);
                                context.plan = engine::run_plan::starting_at(start, context.s);
                              }};
  stop_listener listening{options.stop, context, all, stopped};
  std::vector<std::jthread> threads;
  threads.reserve(all.size());
  for (const auto& w : all) {
    threads.emplace_back([&start_together, &running, w = w.get()] {
      start_together.arrive_and_wait();
      w->run();
      running.done();
    });
  }
  // The workers wait at the barrier; a stop meanwhile starts them at once, to end at once.
  if (shared_start) listening.sleep_until(*shared_start);
  start_together.arrive_and_wait();
  if (options.scrape) scraper.emplace(*options.scrape, context.plan.start);
  report_progress(context, all, running, options);
  if (scraper) scraper->stop();
  return late;
}

// What a stop did to the run, if anything. One that came after the plan's end with nothing
// cancelled left it whole, and so did any that came once every worker was done (`finished`).
std::optional<interruption> interruption_of(stop_times stopped, const engine::run_plan& plan, const run_stop* stop,
                                            clock::time_point finished) {
  if (stopped.cancel && *stopped.cancel >= finished) stopped.cancel.reset();
  if (!stopped.wind_down || *stopped.wind_down >= finished || (*stopped.wind_down >= plan.end && !stopped.cancel))
    return std::nullopt;
  const auto reached = std::clamp(*stopped.wind_down, plan.start, plan.end) - plan.start;
  return interruption{stop->reason(), std::chrono::duration_cast<std::chrono::nanoseconds>(reached),
                      stopped.cancel.has_value()};
}

std::int64_t unix_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

result collect(const engine::run_context& context, const workers& all, const target& t, const run_options& options,
               std::int64_t started_unix_ms, std::chrono::nanoseconds late, const stop_times& stopped,
               const std::optional<engine::metrics_scraper>& scraper) {
  for (const auto& w : all)
    if (w->error()) std::rethrow_exception(w->error());
  const scenario& s = context.s;
  result merged;
  run_info info;
  clock::time_point finished = context.plan.start;
  for (const auto& w : all) {
    merged.merge(w->recorder().result());
    w->fill(info);
    finished = std::max(finished, w->finished_at());
  }
  info.scenario = s.name();
  info.target = t.url();
  info.model = s.open_model() ? load_model::open : load_model::closed;
  info.seed = s.seed();
  info.per_request_slo = nlohmann::json(s.llm_slo()).dump();
  info.threads = all.size();
  info.shards = 1;
  if (options.shard.count > 1) info.shard_starts = {shard_start{options.shard, late}};
  info.started_unix_ms = options.start_at ? unix_ms(*options.start_at) : started_unix_ms;
  info.shared_start_unix_ms = options.start_at ? unix_ms(*options.start_at) : 0;
  info.planned_duration = s.duration();
  info.measured_duration = finished - context.plan.start;
  info.interrupted = interruption_of(stopped, context.plan, options.stop, finished);
  info.insecure = t.scheme == "https" && !t.verify_certificates;
  merged.info = info;
  if (scraper) scraper->fill(merged);
  return merged;
}

}  // namespace

result run(const scenario& s, const target& t, const run_options& options) {
  s.validate();
  check_shard(s, options.shard);
  // Users who close their connections before every think need descriptors only for the
  // connections open at once, which no count known before the run bounds.
  if (engine::connections_only_during_tasks(s)) engine::raise_file_limit();
  else engine::ensure_file_limit(share_of(engine::peak_demand(s), options.shard));
  workers all;
  const protocol::deadlines deadlines{s.connect_timeout(), s.request_timeout(), s.idle_timeout()};
  engine::run_context context{s,
                              protocol::make_connection_settings(t, deadlines),
                              engine::task_table{s.tasks()},
                              thread_count(s, options.shard),
                              options.shard,
                              {},
                              [&all] {
                                for (const auto& w : all) w->stop();
                              }};
  if (options.start_at) validate_start_at(*options.start_at, s);  // a wrong start costs no connection
  protocol::ensure_reachable(context.connection, t.url());
  for (std::size_t i = 0; i < context.threads; ++i) all.push_back(std::make_unique<engine::worker>(context, i));
  const auto started_unix_ms = unix_ms(std::chrono::system_clock::now());
  const auto shared_start = options.start_at ? std::optional{steady_instant(*options.start_at)} : std::nullopt;
  stop_times stopped;
  std::optional<engine::metrics_scraper> scraper;
  const auto late = run_workers(context, all, options, shared_start, stopped, scraper);
  return collect(context, all, t, options, started_unix_ms, late, stopped, scraper);
}

}  // namespace loadgate
