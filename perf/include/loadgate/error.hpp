#pragma once
// Programming and configuration errors are exceptions with a message a user can act on.
// Expected network failures are never exceptions: they are failure_kind values, counted.
#include <stdexcept>
#include <string>

namespace loadgate {

// Something in the scenario, the command line or a file is wrong; the message says what and how
// to fix it, in one line.
class configuration_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The run could not start: the target is unreachable, a port or file limit is too low, ...
class start_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace loadgate
