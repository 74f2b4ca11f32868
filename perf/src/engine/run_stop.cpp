#include "loadgate/run_stop.hpp"

namespace loadgate {

void run_stop::request(const std::string& reason) {
  const std::lock_guard lock{mutex_};
  if (step_ == step::none) reason_ = reason;
  step_ = step_ == step::none ? step::wind_down : step::cancel_now;
  // Called under the lock, so that on_request(nullptr) cannot return while a call is under way.
  if (listener_) listener_(step_);
}

run_stop::step run_stop::requested() const {
  const std::lock_guard lock{mutex_};
  return step_;
}

std::string run_stop::reason() const {
  const std::lock_guard lock{mutex_};
  return reason_;
}

void run_stop::on_request(std::function<void(step)> listener) {
  const std::lock_guard lock{mutex_};
  listener_ = std::move(listener);
  if (listener_ && step_ != step::none) listener_(step_);
}

}  // namespace loadgate
