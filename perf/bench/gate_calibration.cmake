# The gate's offline calibration (not a test: it takes minutes). Include from a CMakeLists that
# knows the loadgate target, e.g. `include(${PROJECT_SOURCE_DIR}/perf/bench/gate_calibration.cmake)`.
add_executable(gate_calibration ${CMAKE_CURRENT_LIST_DIR}/gate_calibration.cpp)
target_include_directories(gate_calibration PRIVATE ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(gate_calibration PRIVATE loadgate::loadgate)
