target_sources(loadgate PRIVATE
  engine/arrival_schedule.cpp
  engine/closed_model.cpp
  engine/event_loop.cpp
  engine/file_limit.cpp
  engine/metrics_scraper.cpp
  engine/open_model.cpp
  engine/recorder.cpp
  engine/run.cpp
  engine/run_stop.cpp
  engine/scenario.cpp
  engine/worker.cpp)
