#pragma once
// The open model's global arrival sequence. Every worker of every shard computes the same sequence
// from the scenario's seed and takes the arrivals its partition owns: the run gets exactly one
// arrival process (constant, Poisson or Gamma at the full rate, not a superposition of per-thread
// or per-shard ones), reproducible for a seed, with no traffic between threads or shards.
//
// One rate: arrival i is at the unit-rate gaps before it over the rate, the first at 0, so a
// constant process puts exactly rate × duration arrivals in [0, duration), at i / rate. A changing
// rate (open stages) is handled by time rescaling: gaps are drawn at unit rate and spent against
// the integral of the rate, in steps of at most 1 ms.
#include <chrono>
#include <cstdint>
#include <optional>

#include "engine/partition.hpp"
#include "loadgate/random_engine.hpp"
#include "loadgate/scenario.hpp"

namespace loadgate::engine {

struct arrival {
  std::uint64_t index;            // in the whole run, across threads and shards
  clock::time_point intended;     // when it should be sent
};

class arrival_schedule {
 public:
  arrival_schedule(const scenario& s, clock::time_point start, partition mine);

  // This worker's next arrival; nullopt once arrivals would fall at or after the run's end.
  std::optional<arrival> next_own();

 private:
  std::optional<arrival> next();

  const scenario& s_;
  clock::time_point start_;
  partition mine_;
  random_engine rng_;
  double elapsed_ = 0;  // seconds since start of the last arrival (stages)
  double work_before_ = 0;  // one rate: the unit-rate gaps before the next arrival
  double duration_;     // seconds
  std::uint64_t index_ = 0;
};

}  // namespace loadgate::engine
