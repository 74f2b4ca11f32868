target_sources(loadgate PRIVATE
  config/duration_text.cpp
  config/json_fields.cpp
  config/scenario_file.cpp)
