#pragma once
// The live progress line: redrawn in place on a terminal, a plain line every few seconds otherwise
// (CI logs stay readable).
#include <chrono>
#include <ostream>
#include <string>

#include "loadgate/run.hpp"

namespace loadgate {

// "[ 45%] 27s/60s  users 200  1234.5 req/s  p50 12.3ms  p95 45.6ms  failures 3 (0.24%)"
std::string format_progress(const progress& p);

class progress_printer {
 public:
  // On a terminal every update redraws the line; otherwise one line per plain_interval.
  progress_printer(std::ostream& out, bool terminal,
                   std::chrono::nanoseconds plain_interval = std::chrono::seconds{5});
  void update(const progress& p);
  void finish();  // ends the redrawn line so that what follows starts on a fresh one

 private:
  std::ostream& out_;
  bool terminal_;
  std::chrono::nanoseconds plain_interval_;
  std::chrono::nanoseconds last_plain_{-1};
  bool drawn_ = false;
};

}  // namespace loadgate
