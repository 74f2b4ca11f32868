#pragma once
// What load to apply. A value type with fluent setters and same-named getters; each default is
// stated beside its knob. validate() throws configuration_error with one line saying what is wrong.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "loadgate/arrival_process.hpp"
#include "loadgate/llm/per_request_slo.hpp"
#include "loadgate/stage.hpp"
#include "loadgate/task.hpp"
#include "loadgate/think_time.hpp"

namespace loadgate {

struct weighted_task {
  unsigned weight = 1;
  loadgate::task task;
};

// The closed model: virtual users, each looping task → think time → task (Locust's semantics).
struct closed_load {
  std::size_t users = 1;                // stages, when given, set the user count over time
  double spawn_rate = 0;                // users started per second; 0: all at once
  loadgate::think_time think_time;      // default none
  // A user about to think at least this long closes its connection first and connects again for
  // its next task, as a client whose pool drops idle connections does (0: after every task, k6's
  // noVUConnectionReuse). Idle users then hold no socket; when every think is that long (constant
  // or between think times), the start checks the open-file limit against nothing more, since only
  // the connections open at once need descriptors. Default: connections stay open.
  std::optional<std::chrono::nanoseconds> close_idle_after;
  bool operator==(const closed_load&) const = default;
};

// The open model: arrivals on a schedule, whatever the service's speed (k6's arrival-rate
// executors); latency counts from the intended start.
struct open_load {
  double rate = 0;                      // arrivals per second; stages, when given, set it over time
  arrival_process arrivals;             // default constant
  std::size_t max_in_flight = 1024;     // arrivals beyond it are dropped and counted
  bool operator==(const open_load&) const = default;
};

using load_model_spec = std::variant<closed_load, open_load>;

class scenario {
 public:
  using duration_type = std::chrono::nanoseconds;

  explicit scenario(std::string name = "scenario") : name_{std::move(name)} {}

  const std::string& name() const { return name_; }
  scenario& name(std::string n) { name_ = std::move(n); return *this; }

  // --- the load model: a type, closed (default) or open ---
  scenario& load(load_model_spec l) { load_ = std::move(l); model_chosen_ = true; return *this; }
  const load_model_spec& load() const { return load_; }
  bool open_model() const { return std::holds_alternative<open_load>(load_); }
  // Shorthands for the fields of one model. The first one called chooses its model; a knob of the
  // other model after that is a configuration_error, never a silent switch.
  scenario& users(std::size_t n) { closed().users = n; return *this; }                  // default 1
  std::size_t users() const { return closed_or_default().users; }
  scenario& spawn_rate(double per_second) { closed().spawn_rate = per_second; return *this; }  // default 0: all at once
  double spawn_rate() const { return closed_or_default().spawn_rate; }
  scenario& think_time(loadgate::think_time t) { closed().think_time = t; return *this; }  // default none
  const loadgate::think_time& think_time() const { return closed_or_default().think_time; }
  scenario& close_idle_after(std::chrono::nanoseconds d) { closed().close_idle_after = d; return *this; }  // default never
  std::optional<std::chrono::nanoseconds> close_idle_after() const { return closed_or_default().close_idle_after; }
  scenario& rate(double per_second) { open().rate = per_second; return *this; }           // default 0
  double rate() const { return open_or_default().rate; }
  scenario& arrivals(arrival_process a) { open().arrivals = a; return *this; }            // default constant
  const arrival_process& arrivals() const { return open_or_default().arrivals; }
  scenario& max_in_flight(std::size_t n) { open().max_in_flight = n; return *this; }     // default 1024
  std::size_t max_in_flight() const { return open_or_default().max_in_flight; }

  // --- shape and length ---
  scenario& duration(duration_type d) { duration_ = d; return *this; }  // default 10 s; stages override it
  duration_type duration() const;  // the stages' total when there are stages
  // Targets are users (closed model) or arrivals per second (open model).
  scenario& stages(load_shape s) { stages_ = std::move(s); return *this; }
  const load_shape& stages() const { return stages_; }
  scenario& grace(duration_type d) { grace_ = d; return *this; }  // default 5 s for requests in flight at the end
  duration_type grace() const { return grace_; }

  // --- what each user does ---
  scenario& task(loadgate::task t) { return task(1, std::move(t)); }
  scenario& task(unsigned weight, loadgate::task t) { tasks_.push_back({weight, std::move(t)}); return *this; }
  const std::vector<weighted_task>& tasks() const { return tasks_; }
  // All of them at once: a scenario rebuilt with some tasks changed (with_dialect) keeps the rest.
  scenario& replace_tasks(std::vector<weighted_task> tasks) { tasks_ = std::move(tasks); return *this; }
  // Goodput of LLM requests counts those meeting every limit set here (TTFT, TPOT, E2E).
  scenario& llm_slo(llm::per_request_slo s) { llm_slo_ = s; return *this; }  // default: no limit
  const llm::per_request_slo& llm_slo() const { return llm_slo_; }

  // --- execution ---
  scenario& seed(std::uint64_t s) { seed_ = s; return *this; }      // default 1: runs repeat by default
  std::uint64_t seed() const { return seed_; }
  scenario& threads(std::size_t n) { threads_ = n; return *this; }   // default 0: one per CPU this process may use
  std::size_t threads() const { return threads_; }
  std::size_t effective_threads() const;

  // --- deadlines: every socket has one ---
  scenario& connect_timeout(duration_type d) { connect_timeout_ = d; return *this; }  // default 5 s
  duration_type connect_timeout() const { return connect_timeout_; }
  scenario& request_timeout(duration_type d) { request_timeout_ = d; return *this; }  // default 60 s, send to last byte
  duration_type request_timeout() const { return request_timeout_; }
  scenario& idle_timeout(duration_type d) { idle_timeout_ = d; return *this; }  // default 30 s of silence mid-response
  duration_type idle_timeout() const { return idle_timeout_; }

  void validate() const;

 private:
  closed_load& closed();  // chooses the closed model, or throws when the open one was chosen
  open_load& open();
  const closed_load& closed_or_default() const;
  const open_load& open_or_default() const;

  std::string name_;
  load_model_spec load_;
  bool model_chosen_ = false;  // a knob or load() chose the model
  duration_type duration_ = std::chrono::seconds{10};
  load_shape stages_;
  duration_type grace_ = std::chrono::seconds{5};
  std::vector<weighted_task> tasks_;
  llm::per_request_slo llm_slo_;
  std::uint64_t seed_ = 1;
  std::size_t threads_ = 0;
  duration_type connect_timeout_ = std::chrono::seconds{5};
  duration_type request_timeout_ = std::chrono::seconds{60};
  duration_type idle_timeout_ = std::chrono::seconds{30};
};

}  // namespace loadgate
