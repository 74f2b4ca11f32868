# cmake -DBUILD_DIR=... -DSOURCE_DIR=.../consumer -DWORK_DIR=... -DGENERATOR=Ninja [-DCXX_FLAGS=...] -P consumer_test.cmake
# Installs the build tree into WORK_DIR/prefix, then configures, builds and tests the consumer
# project against it with CMAKE_PREFIX_PATH: what another team does with find_package(loadgate).
foreach(var BUILD_DIR SOURCE_DIR WORK_DIR GENERATOR)
  if(NOT ${var})
    message(FATAL_ERROR "consumer_test.cmake needs -D${var}=...")
  endif()
endforeach()

function(step what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer project: ${what} failed (exit ${rc}): ${ARGN}")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
step("install" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${WORK_DIR}/prefix")
step("configure" ${CMAKE_COMMAND} -S "${SOURCE_DIR}" -B "${WORK_DIR}/build" -G "${GENERATOR}"
     -DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix"
     # the library's own flags: a sanitized libloadgate.a links only into a sanitized program
     "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}")
step("build" ${CMAKE_COMMAND} --build "${WORK_DIR}/build")
step("test" ${CMAKE_CTEST_COMMAND} --test-dir "${WORK_DIR}/build" --output-on-failure --no-tests=error)
if(NOT EXISTS "${WORK_DIR}/build/loadgate/junit")
  message(FATAL_ERROR "consumer project: no JUnit XML folder ${WORK_DIR}/build/loadgate/junit")
endif()
