# loadgate::gtest: the GoogleTest glue of scenarios (fixture, gated runs named after the test,
# matchers). Separate from loadgate::loadgate so that the core library never links GoogleTest.
add_library(loadgate_gtest ${CMAKE_CURRENT_LIST_DIR}/scenario_test.cpp)
add_library(loadgate::gtest ALIAS loadgate_gtest)
set_target_properties(loadgate_gtest PROPERTIES EXPORT_NAME gtest)
target_link_libraries(loadgate_gtest PUBLIC loadgate::loadgate GTest::gtest GTest::gmock)
