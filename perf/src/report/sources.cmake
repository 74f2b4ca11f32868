# The report page's own script and style are compiled in: the binary needs no files of its own
# at report time (dygraphs is read from the system, see loadgate/html_report.hpp).
file(READ ${CMAKE_CURRENT_SOURCE_DIR}/report/assets/report.js LOADGATE_REPORT_JS)
file(READ ${CMAKE_CURRENT_SOURCE_DIR}/report/assets/report.css LOADGATE_REPORT_CSS)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${CMAKE_CURRENT_SOURCE_DIR}/report/assets/report.js ${CMAKE_CURRENT_SOURCE_DIR}/report/assets/report.css)
configure_file(report/report_assets.cpp.in ${CMAKE_CURRENT_BINARY_DIR}/report/report_assets.cpp @ONLY)

set(LOADGATE_DYGRAPHS_DIR "/usr/share/javascript/dygraphs" CACHE PATH
  "Where report.html's charting library (Debian libjs-dygraphs) is read from; LOADGATE_DYGRAPHS_DIR overrides it at run time")
set_source_files_properties(report/html_report.cpp PROPERTIES
  COMPILE_DEFINITIONS "LOADGATE_DYGRAPHS_DEFAULT_DIR=\"${LOADGATE_DYGRAPHS_DIR}\"")

target_sources(loadgate PRIVATE
  report/figures.cpp
  report/html_report.cpp
  report/locust_files.cpp
  report/markdown_table.cpp
  report/html_table.cpp
  report/csv_text.cpp
  report/capacity_report.cpp
  report/matrix_report.cpp
  report/markdown_summary.cpp
  report/progress_line.cpp
  report/result_files.cpp
  report/run_evidence.cpp
  report/run_folder.cpp
  report/run_summary.cpp
  report/summary_table.cpp
  report/tables.cpp
  report/time_breakdown.cpp
  ${CMAKE_CURRENT_BINARY_DIR}/report/report_assets.cpp)
