#pragma once
// Stops a run before its plan ends, from another thread (the `loadgate` command's signal watcher,
// a test, a UI). Two steps, as Ctrl-C works in a terminal:
// - the first request winds the run down: no task starts any more, and what is in flight gets the
//   scenario's grace to finish;
// - a later one cancels what is still in flight at once (counted as failure_kind::cancelled).
// Either way run() returns a result that holds everything measured so far, with
// run_info::interrupted saying why and when, and never throws for it.
//
//   loadgate::run_stop stop;
//   options.stop = &stop;                // run_options
//   ... on another thread: stop.request("SIGINT");
//
// Thread-safe. A request made before the run starts stops it as soon as it starts; one made after
// the run has ended changes nothing.
#include <functional>
#include <mutex>
#include <string>

namespace loadgate {

class run_stop {
 public:
  enum class step { none, wind_down, cancel_now };

  // The first call winds down, every later one cancels at once; `reason` is recorded ("SIGINT").
  void request(const std::string& reason);
  step requested() const;
  bool stopped() const { return requested() != step::none; }  // any request so far
  std::string reason() const;  // of the first request

  // For loadgate::run while it runs: `listener` is called with every new step, at once for one
  // already requested, on the requesting thread. Replacing it (with nullptr at the run's end)
  // returns only once no call of the old one is under way. It is called under this object's lock,
  // so it must not call back into it.
  void on_request(std::function<void(step)> listener);

 private:
  mutable std::mutex mutex_;
  step step_ = step::none;
  std::string reason_;
  std::function<void(step)> listener_;
};

}  // namespace loadgate
