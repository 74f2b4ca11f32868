target_sources(loadgate PRIVATE
  config/duration_text.cpp
  config/scenario_file.cpp)
