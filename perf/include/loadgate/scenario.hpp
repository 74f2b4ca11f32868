#pragma once
// What load to apply. A value type with fluent setters and same-named getters; each default is
// stated beside its knob. validate() throws configuration_error with one line saying what is wrong.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
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

class scenario {
 public:
  using duration_type = std::chrono::nanoseconds;

  explicit scenario(std::string name = "scenario") : name_{std::move(name)} {}

  const std::string& name() const { return name_; }
  scenario& name(std::string n) { name_ = std::move(n); return *this; }

  // --- closed model (virtual users) ---
  scenario& users(std::size_t n) { users_ = n; return *this; }            // default 1
  std::size_t users() const { return users_; }
  scenario& spawn_rate(double per_second) { spawn_rate_ = per_second; return *this; }  // default 0: all users at once
  double spawn_rate() const { return spawn_rate_; }
  scenario& think_time(loadgate::think_time t) { think_time_ = t; return *this; }      // default none
  const loadgate::think_time& think_time() const { return think_time_; }

  // --- open model (arrivals); setting a rate > 0 selects it ---
  scenario& rate(double per_second) { rate_ = per_second; return *this; }  // default 0: closed model
  double rate() const { return rate_; }
  scenario& arrivals(arrival_process a) { arrivals_ = a; return *this; }  // default constant
  const arrival_process& arrivals() const { return arrivals_; }
  scenario& max_in_flight(std::size_t n) { max_in_flight_ = n; return *this; }  // default 1024
  std::size_t max_in_flight() const { return max_in_flight_; }
  bool open_model() const { return rate_ > 0 || (!stages_.empty() && open_stages_); }

  // --- shape and length ---
  scenario& duration(duration_type d) { duration_ = d; return *this; }  // default 10 s; stages override it
  duration_type duration() const;  // the stages' total when there are stages
  // Targets are users (closed model) or arrivals per second when open is true.
  scenario& stages(load_shape s, bool open = false) { stages_ = std::move(s); open_stages_ = open; return *this; }
  const load_shape& stages() const { return stages_; }
  scenario& grace(duration_type d) { grace_ = d; return *this; }  // default 5 s for requests in flight at the end
  duration_type grace() const { return grace_; }

  // --- what each user does ---
  scenario& task(loadgate::task t) { return task(1, std::move(t)); }
  scenario& task(unsigned weight, loadgate::task t) { tasks_.push_back({weight, std::move(t)}); return *this; }
  const std::vector<weighted_task>& tasks() const { return tasks_; }
  // Goodput of LLM requests counts those meeting every limit set here (TTFT, TPOT, E2E).
  scenario& llm_slo(llm::per_request_slo s) { llm_slo_ = s; return *this; }  // default: no limit
  const llm::per_request_slo& llm_slo() const { return llm_slo_; }

  // --- execution ---
  scenario& seed(std::uint64_t s) { seed_ = s; return *this; }      // default 1: runs repeat by default
  std::uint64_t seed() const { return seed_; }
  scenario& threads(std::size_t n) { threads_ = n; return *this; }   // default 0: one per core
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
  std::string name_;
  std::size_t users_ = 1;
  double spawn_rate_ = 0;
  loadgate::think_time think_time_;
  double rate_ = 0;
  arrival_process arrivals_;
  std::size_t max_in_flight_ = 1024;
  duration_type duration_ = std::chrono::seconds{10};
  load_shape stages_;
  bool open_stages_ = false;
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
