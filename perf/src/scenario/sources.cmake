# The scenario box: targets from the environment, scenario fingerprints, gated runs with baselines.
target_sources(loadgate PRIVATE
  scenario/target_from_env.cpp
  scenario/dialect_detection.cpp
  scenario/metrics_endpoint.cpp
  scenario/reachability.cpp
  scenario/scenario_configuration.cpp
  scenario/scenario_runner.cpp
  scenario/capacity.cpp
  scenario/gated_capacity.cpp)
