// Scenario defaults that need computing, and the validation that runs before any load.
#include "loadgate/scenario.hpp"

#include <sched.h>

#include <cmath>
#include <sstream>
#include <thread>

#include "loadgate/error.hpp"

namespace loadgate {
namespace {

std::string seconds_text(std::chrono::nanoseconds d) {
  std::ostringstream out;
  out << std::chrono::duration<double>(d).count() << " s";
  return out.str();
}

std::string number_text(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

class checker {
 public:
  explicit checker(const std::string& name) : name_{name} {}
  [[noreturn]] void fail(const std::string& what) const {
    throw configuration_error("scenario '" + name_ + "': " + what);
  }
  void positive(std::chrono::nanoseconds d, const char* field) const {
    if (d <= std::chrono::nanoseconds::zero()) fail(std::string(field) + " must be positive (got " + seconds_text(d) + ")");
  }
  void non_negative(std::chrono::nanoseconds d, const std::string& field) const {
    if (d < std::chrono::nanoseconds::zero()) fail(field + " must not be negative (got " + seconds_text(d) + ")");
  }
  void rate(double v, const std::string& field) const {
    if (!std::isfinite(v) || v < 0) fail(field + " must be a finite number >= 0 per second (got " + number_text(v) + ")");
  }

 private:
  const std::string& name_;
};

void check_tasks(const checker& c, const std::vector<weighted_task>& tasks) {
  if (tasks.empty()) c.fail("tasks: none given; add at least one with .task(...)");
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const auto& [weight, t] = tasks[i];
    const std::string label = t.name.empty() ? "task #" + std::to_string(i + 1) : "task '" + t.name + "'";
    if (t.name.empty()) c.fail(label + ": name must not be empty (statistics are kept under it)");
    if (!t.request) c.fail(label + ": request function is empty");
    if (weight == 0) c.fail(label + ": weight must be at least 1 (got 0)");
  }
}

void check_stages(const checker& c, const load_shape& stages) {
  for (std::size_t i = 0; i < stages.size(); ++i) {
    const std::string field = "stages[" + std::to_string(i) + "]";
    if (!std::isfinite(stages[i].target) || stages[i].target < 0)
      c.fail(field + ".target must be a finite number >= 0 (got " + number_text(stages[i].target) + ")");
    c.non_negative(stages[i].ramp, field + ".ramp");
    c.non_negative(stages[i].hold, field + ".hold");
  }
  if (total_duration(stages) <= std::chrono::nanoseconds::zero()) c.fail("stages: the total of ramps and holds must be positive");
}

void check_think_time(const checker& c, const think_time& t) {
  if (t.type() == think_time::kind::none) return;
  c.non_negative(t.low(), "think_time");
  if (t.type() == think_time::kind::between && t.high() < t.low())
    c.fail("think_time: between(low, high) needs low <= high (got " + seconds_text(t.low()) + ", " + seconds_text(t.high()) + ")");
}

}  // namespace

closed_load& scenario::closed() {
  if (!std::holds_alternative<closed_load>(load_) && model_chosen_)
    throw configuration_error("scenario '" + name_ + "': users, spawn_rate and think_time belong to the closed model, "
                              "but rate, arrivals or max_in_flight made it open; choose one with load(closed_load{...}) "
                              "or load(open_load{...})");
  if (!std::holds_alternative<closed_load>(load_)) load_ = closed_load{};
  model_chosen_ = true;
  return std::get<closed_load>(load_);
}

open_load& scenario::open() {
  if (!std::holds_alternative<open_load>(load_) && model_chosen_)
    throw configuration_error("scenario '" + name_ + "': rate, arrivals and max_in_flight belong to the open model, "
                              "but users, spawn_rate or think_time made it closed; choose one with load(open_load{...}) "
                              "or load(closed_load{...})");
  if (!std::holds_alternative<open_load>(load_)) load_ = open_load{};
  model_chosen_ = true;
  return std::get<open_load>(load_);
}

const closed_load& scenario::closed_or_default() const {
  static const closed_load defaults;
  const auto* c = std::get_if<closed_load>(&load_);
  return c ? *c : defaults;
}

const open_load& scenario::open_or_default() const {
  static const open_load defaults;
  const auto* o = std::get_if<open_load>(&load_);
  return o ? *o : defaults;
}

scenario::duration_type scenario::duration() const { return stages_.empty() ? duration_ : total_duration(stages_); }

std::size_t scenario::effective_threads() const {
  if (threads_ > 0) return threads_;
  // The CPUs this process may run on (taskset, a container's cpuset), not all the machine's: two
  // worker threads on one allowed CPU take turns in scheduler slices of milliseconds, and each
  // waits out the other's before it reads what has arrived.
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) == 0) return std::max(1, CPU_COUNT(&allowed));
  return std::max(1u, std::thread::hardware_concurrency());
}

void scenario::validate() const {
  const checker c{name_};
  if (name_.empty()) throw configuration_error("scenario: name must not be empty");
  check_tasks(c, tasks_);
  if (stages_.empty()) c.positive(duration_, "duration");
  else check_stages(c, stages_);
  if (const auto* closed = std::get_if<closed_load>(&load_)) {
    c.rate(closed->spawn_rate, "spawn_rate");
    if (stages_.empty() && closed->users == 0) c.fail("users must be at least 1 (got 0)");
    check_think_time(c, closed->think_time);
    if (closed->close_idle_after) c.non_negative(*closed->close_idle_after, "close_idle_after");
  } else {
    const auto& open = std::get<open_load>(load_);
    c.rate(open.rate, "rate");
    if (stages_.empty() && open.rate <= 0) c.fail("rate must be above 0 arrivals per second in the open model");
    if (!stages_.empty() && open.rate > 0)
      c.fail("rate: an open load with stages takes its arrival rates from the stages; leave rate at 0");
    if (open.max_in_flight == 0) c.fail("max_in_flight must be at least 1 (got 0)");
    if (open.arrivals.type() == arrival_process::kind::gamma &&
        (!std::isfinite(open.arrivals.burstiness()) || open.arrivals.burstiness() <= 0))
      c.fail("arrivals: gamma burstiness must be a finite number > 0 (got " + number_text(open.arrivals.burstiness()) + ")");
  }
  c.non_negative(grace_, "grace");
  c.positive(connect_timeout_, "connect_timeout");
  c.positive(request_timeout_, "request_timeout");
  c.positive(idle_timeout_, "idle_timeout");
}

}  // namespace loadgate
