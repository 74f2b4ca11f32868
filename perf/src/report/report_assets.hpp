#pragma once
// The report page's own script and style (perf/src/report/assets/), compiled in by CMake
// (report_assets.cpp.in) so that the loadgate binary needs no files of its own at report time.
#include <string_view>

namespace loadgate::report {

extern const std::string_view report_js;
extern const std::string_view report_css;

}  // namespace loadgate::report
