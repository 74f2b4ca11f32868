target_sources(loadgate PRIVATE
  stats/failure_kind.cpp
  stats/histogram.cpp
  stats/tally.cpp
  stats/time_series.cpp
  stats/result.cpp
  stats/shard.cpp)
