target_sources(loadgate PRIVATE
  workload/arrival_process.cpp
  workload/stage.cpp
  workload/think_time.cpp)
