#include "loadgate/progress_line.hpp"

#include <algorithm>
#include <cstdio>

namespace loadgate {
namespace {

std::string millis(std::chrono::microseconds us) {
  char buffer[32];
  const double ms = static_cast<double>(us.count()) / 1000.0;
  std::snprintf(buffer, sizeof buffer, ms < 10 ? "%.2fms" : ms < 100 ? "%.1fms" : "%.0fms", ms);
  return buffer;
}

}  // namespace

std::string format_progress(const progress& p) {
  const double elapsed_s = std::chrono::duration<double>(p.elapsed).count();
  const double planned_s = std::chrono::duration<double>(p.planned).count();
  const double percent = planned_s > 0 ? std::min(100.0, 100.0 * elapsed_s / planned_s) : 0.0;
  const double failure_percent = p.requests > 0 ? 100.0 * static_cast<double>(p.failures) / static_cast<double>(p.requests) : 0.0;
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, "[%3.0f%%] %.0fs/%.0fs  users %llu  %.1f req/s  p50 %s  p95 %s  failures %llu (%.2f%%)",
                percent, elapsed_s, planned_s, static_cast<unsigned long long>(p.active_users), p.requests_per_second,
                millis(p.p50).c_str(), millis(p.p95).c_str(), static_cast<unsigned long long>(p.failures),
                failure_percent);
  return buffer;
}

progress_printer::progress_printer(std::ostream& out, bool terminal, std::chrono::nanoseconds plain_interval)
    : out_{out}, terminal_{terminal}, plain_interval_{plain_interval} {}

void progress_printer::update(const progress& p) {
  if (terminal_) {
    // \r returns to the line's start and ESC[K clears what a longer previous line left behind.
    out_ << "\r\x1b[K" << format_progress(p) << std::flush;
    drawn_ = true;
    return;
  }
  if (last_plain_.count() >= 0 && p.elapsed - last_plain_ < plain_interval_) return;
  last_plain_ = p.elapsed;
  out_ << format_progress(p) << '\n' << std::flush;
}

void progress_printer::finish() {
  if (drawn_) out_ << '\n' << std::flush;
  drawn_ = false;
}

}  // namespace loadgate
