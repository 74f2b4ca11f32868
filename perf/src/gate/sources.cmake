target_sources(loadgate PRIVATE
  gate/metric.cpp
  gate/slo.cpp
  gate/fingerprint.cpp
  gate/statistics.cpp
  gate/baseline.cpp
  gate/blocks.cpp
  gate/bootstrap.cpp
  gate/gate.cpp
  gate/gate_report.cpp
  gate/gate_json.cpp
  gate/slo_interval.cpp
  gate/capacity_estimate.cpp
  gate/capacity_gate.cpp
  gate/knee.cpp)
