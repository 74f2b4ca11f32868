# loadgate's CMake functions: register load scenarios (GoogleTest cases) and the services they run
# against with CTest. Installed with the package: find_package(loadgate) includes this file.
#
#   loadgate_add_service(NAME name START cmd... STOP cmd... [READY path-or-url] [TIMEOUT s])
#     A CTest fixture named `name`: START runs before the first test that needs the service and
#     must daemonise it and exit once it is ready; STOP runs after the last one, even when tests
#     fail. In START and STOP, <STATE_DIR> stands for a folder of the service's own (it is also
#     in their environment as LOADGATE_SERVICE_STATE_DIR). START writes the service's base URL to
#     <STATE_DIR>/url, which the scenarios read. READY, when given, is polled after START until it
#     answers 2xx (bounded by TIMEOUT, default 60 s): a path ("/health") is appended to the URL in
#     <STATE_DIR>/url, a full URL is used as it is.
#
#   loadgate_add_scenarios(TARGET t [LABELS l...] [SERVICE name...] [TIMEOUT s] [BASELINE_DIR dir]
#                          [ENVIRONMENT VAR=value...])
#     Every test of the GoogleTest executable t becomes a CTest test, discovered when ctest runs
#     (PRE_TEST, 5 s limit: list tests without sockets or threads), labelled perf (and LABELS),
#     run serially (load tests must not compete for the machine), timing out after TIMEOUT
#     (default 300 s), with a JUnit XML file per test in <build>/loadgate/junit. The first SERVICE
#     is the scenarios' default target (LOADGATE_SERVICE_URL_FILE); every SERVICE is also reachable
#     by name (LOADGATE_SERVICE_URL_FILE_<NAME>, see loadgate::target_from_env) and required as a
#     fixture. BASELINE_DIR defaults to <project source>/baselines. ENVIRONMENT is added to every
#     test's (LOADGATE_DIALECT=vllm LOADGATE_PROFILE=vllm: the same scenarios against vLLM, with
#     baselines of their own).
#
#   loadgate_add_update_target()
#     `cmake --build <dir> --target loadgate-update-baselines` reruns every perf scenario in update
#     mode (LOADGATE_UPDATE_BASELINES=1) and rewrites their baselines, printing old vs new (verbose:
#     CTest shows a passing test's output only then).
include_guard(GLOBAL)
include(GoogleTest)

set(_loadgate_cmake_dir "${CMAKE_CURRENT_LIST_DIR}")

function(_loadgate_substitute_state_dir out_var state_dir)
  set(result "")
  foreach(word IN LISTS ARGN)
    string(REPLACE "<STATE_DIR>" "${state_dir}" word "${word}")
    list(APPEND result "${word}")
  endforeach()
  set(${out_var} "${result}" PARENT_SCOPE)
endfunction()

function(loadgate_add_service)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME;READY;TIMEOUT" "START;STOP")
  if(NOT arg_NAME OR NOT arg_START OR NOT arg_STOP)
    message(FATAL_ERROR "loadgate_add_service needs NAME, START and STOP")
  endif()
  if(NOT arg_NAME MATCHES "^[A-Za-z0-9_]+$")
    message(FATAL_ERROR "loadgate_add_service: NAME '${arg_NAME}' may hold letters, digits and _ only "
                        "(it becomes part of environment variable names)")
  endif()
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 60)
  endif()
  set(state_dir "${CMAKE_BINARY_DIR}/loadgate/services/${arg_NAME}")
  set_property(GLOBAL PROPERTY LOADGATE_SERVICE_STATE_DIR_${arg_NAME} "${state_dir}")
  _loadgate_substitute_state_dir(start "${state_dir}" ${arg_START})
  _loadgate_substitute_state_dir(stop "${state_dir}" ${arg_STOP})

  set(prefix loadgate.service.${arg_NAME})
  add_test(NAME ${prefix}.start COMMAND ${start})
  add_test(NAME ${prefix}.stop COMMAND ${stop})
  # The label is not "perf": `ctest -L perf` pulls fixtures in by FIXTURES_REQUIRED anyway.
  set_tests_properties(${prefix}.start PROPERTIES
    FIXTURES_SETUP ${arg_NAME} TIMEOUT ${arg_TIMEOUT} LABELS service
    ENVIRONMENT "LOADGATE_SERVICE_STATE_DIR=${state_dir}")
  set_tests_properties(${prefix}.stop PROPERTIES
    FIXTURES_CLEANUP ${arg_NAME} TIMEOUT ${arg_TIMEOUT} LABELS service
    ENVIRONMENT "LOADGATE_SERVICE_STATE_DIR=${state_dir}")
  if(arg_READY)
    add_test(NAME ${prefix}.ready
      COMMAND ${CMAKE_COMMAND} "-DREADY=${arg_READY}" "-DURL_FILE=${state_dir}/url" -DTIMEOUT=${arg_TIMEOUT}
              -P "${_loadgate_cmake_dir}/loadgate_wait_ready.cmake")
    set_tests_properties(${prefix}.ready PROPERTIES
      FIXTURES_SETUP ${arg_NAME} DEPENDS ${prefix}.start LABELS service TIMEOUT ${arg_TIMEOUT})
  endif()
endfunction()

# The environment variables that lead a test to its services, as NAME=VALUE items: the first
# service is the default one. Used by loadgate_add_scenarios and by plain add_test perf tests.
function(loadgate_service_environment out_var)
  set(environment "")
  set(first TRUE)
  foreach(service IN LISTS ARGN)
    get_property(state_dir GLOBAL PROPERTY LOADGATE_SERVICE_STATE_DIR_${service})
    if(NOT state_dir)
      message(FATAL_ERROR "no service named '${service}': call loadgate_add_service(NAME ${service} ...) first")
    endif()
    string(TOUPPER "${service}" upper)
    if(first)
      list(APPEND environment "LOADGATE_SERVICE_URL_FILE=${state_dir}/url")
      set(first FALSE)
    endif()
    list(APPEND environment "LOADGATE_SERVICE_URL_FILE_${upper}=${state_dir}/url")
  endforeach()
  set(${out_var} "${environment}" PARENT_SCOPE)
endfunction()

function(loadgate_add_scenarios)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "TARGET;TIMEOUT;BASELINE_DIR" "LABELS;SERVICE;ENVIRONMENT")
  if(NOT arg_TARGET)
    message(FATAL_ERROR "loadgate_add_scenarios needs TARGET")
  endif()
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 300)
  endif()
  if(NOT arg_BASELINE_DIR)
    set(arg_BASELINE_DIR "${PROJECT_SOURCE_DIR}/baselines")
  endif()
  # Every run keeps its folder (result.json, CSVs, summary.md, report.html, gate.json) under
  # <build>/loadgate/runs/<Suite.Test>/<n>/, for people and CI to open.
  set(environment "LOADGATE_BASELINE_DIR=${arg_BASELINE_DIR}" "LOADGATE_RUNS_DIR=${CMAKE_BINARY_DIR}/loadgate/runs"
                  ${arg_ENVIRONMENT})
  if(arg_SERVICE)
    loadgate_service_environment(service_environment ${arg_SERVICE})
    list(APPEND environment ${service_environment})
  endif()
  # PRE_TEST discovery flattens PROPERTIES into one list, which would split list-valued
  # properties (labels, environment, fixtures); they are set on the discovered tests instead, by
  # a file CTest includes after the discovery's own (TEST_INCLUDE_FILES keeps the order).
  gtest_discover_tests(${arg_TARGET}
    DISCOVERY_MODE PRE_TEST
    DISCOVERY_TIMEOUT 5
    NO_PRETTY_VALUES
    XML_OUTPUT_DIR "${CMAKE_BINARY_DIR}/loadgate/junit"
    TEST_LIST ${arg_TARGET}_loadgate_tests
    PROPERTIES RUN_SERIAL ON TIMEOUT ${arg_TIMEOUT})
  set(labels perf ${arg_LABELS})
  set(properties "LABELS [==[${labels}]==] ENVIRONMENT [==[${environment}]==]")
  if(arg_SERVICE)
    string(APPEND properties " FIXTURES_REQUIRED [==[${arg_SERVICE}]==]")
  endif()
  set(file "${CMAKE_CURRENT_BINARY_DIR}/${arg_TARGET}_loadgate_properties.cmake")
  file(WRITE "${file}"
    "# Written by loadgate_add_scenarios: the list-valued properties of ${arg_TARGET}'s tests.\n"
    "foreach(test IN LISTS ${arg_TARGET}_loadgate_tests)\n"
    "  set_tests_properties(\"\${test}\" PROPERTIES ${properties})\n"
    "endforeach()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${file}")
endfunction()

function(loadgate_add_update_target)
  if(TARGET loadgate-update-baselines)
    return()
  endif()
  add_custom_target(loadgate-update-baselines
    COMMAND ${CMAKE_COMMAND} -E env LOADGATE_UPDATE_BASELINES=1
            ${CMAKE_CTEST_COMMAND} -L "^perf$" --verbose
    WORKING_DIRECTORY "${CMAKE_BINARY_DIR}"
    USES_TERMINAL
    COMMENT "Rerunning the perf scenarios and rewriting their baselines (old vs new per metric below)")
endfunction()
