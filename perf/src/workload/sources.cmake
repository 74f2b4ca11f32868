target_sources(loadgate PRIVATE
  workload/arrival_process.cpp
  workload/random_engine.cpp
  workload/stage.cpp
  workload/think_time.cpp)
