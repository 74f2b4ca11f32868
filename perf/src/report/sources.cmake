target_sources(loadgate PRIVATE
  report/progress_line.cpp
  report/result_files.cpp
  report/summary_table.cpp)
