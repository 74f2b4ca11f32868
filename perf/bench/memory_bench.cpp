// Resident memory per idle virtual user: RSS before the run versus the highest RSS while `users`
// users sit in a long think time; also the CPU the run took and how long the spawn took. Used by
// memory.sh.
//   memory_bench URL [users=10000] [think_seconds=10] [seconds=12] [spawn_rate=0] [source_addresses=]
//                [close_idle_after_seconds=-1]
// spawn_rate 0 starts every user at once (each user's first request is then in flight together,
// so the peak holds a request's memory per user too); source_addresses: comma-separated;
// close_idle_after_seconds >= 0: users close their connections while they think (negative: never).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "loadgate/loadgate.hpp"

namespace {

// VmRSS of this process, in KiB.
long resident_kib() {
  std::ifstream status{"/proc/self/status"};
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  return -1;
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::chrono::nanoseconds seconds(double s) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(s));
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::stringstream in{text};
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) parts.push_back(part);
  return parts;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: memory_bench URL [users=10000] [think_seconds=10] [seconds=12] [spawn_rate=0] "
                 "[source_addresses=a,b,...] [close_idle_after_seconds=-1]\n");
    return 2;
  }
  const std::size_t users = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 10'000;
  const double think = argc > 3 ? std::strtod(argv[3], nullptr) : 10.0;
  const double duration = argc > 4 ? std::strtod(argv[4], nullptr) : 12.0;
  const double spawn_rate = argc > 5 ? std::strtod(argv[5], nullptr) : 0.0;

  const double close_idle_after = argc > 7 ? std::strtod(argv[7], nullptr) : -1.0;
  auto scenario = loadgate::scenario{"memory"}
                            .users(users)
                            .threads(1)
                            .spawn_rate(spawn_rate)
                            .duration(seconds(duration))
                            .think_time(loadgate::constant(seconds(think)))
                            .task(loadgate::http_task("get", "GET", "/"));
  if (close_idle_after >= 0) scenario.close_idle_after(seconds(close_idle_after));
  auto target = loadgate::target::parse(argv[1]);
  if (argc > 6) target.source_addresses = split_commas(argv[6]);
  const long before = resident_kib();
  const double cpu_before = cpu_seconds();
  long peak = before;
  std::uint64_t peak_active = 0;
  double all_started_at = -1;  // seconds into the run when every user was running
  loadgate::run_options options;
  options.progress_interval = std::chrono::milliseconds{100};
  options.on_progress = [&](const loadgate::progress& p) {
    peak = std::max(peak, resident_kib());
    peak_active = std::max(peak_active, p.active_users);
    if (all_started_at < 0 && p.active_users >= users)
      all_started_at = std::chrono::duration<double>(p.elapsed).count();
  };
  const auto result = loadgate::run(scenario, target, options);
  const double cpu = cpu_seconds() - cpu_before;
  const auto total = result.total();
  std::printf("users %zu active_peak %llu requests %llu failures %llu\n", users,
              static_cast<unsigned long long>(peak_active), static_cast<unsigned long long>(total.count()),
              static_cast<unsigned long long>(total.failures()));
  std::printf("all_started_after_s %.1f (spawn_rate %g/s)\n", all_started_at, spawn_rate);
  std::printf("cpu_s %.2f (user + system, the whole run of %.0f s)\n", cpu, duration);
  std::printf("rss_kib before %ld during %ld\n", before, peak);
  std::printf("kib_per_user %.2f\n", static_cast<double>(peak - before) / static_cast<double>(users));
  return total.failures() == 0 && peak_active == users ? 0 : 1;
}
