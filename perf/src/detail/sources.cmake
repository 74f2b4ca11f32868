# The private layer every box may use: one implementation of each small capability.
target_sources(loadgate PRIVATE
  detail/atomic_file.cpp
  detail/environment.cpp
  detail/json_text.cpp
  detail/text_table.cpp)
