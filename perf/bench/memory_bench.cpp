// Resident memory per idle virtual user: RSS before the run versus the highest RSS while
// `users` users sit in a long think time. Used by memory.sh.
//   memory_bench URL [users=10000] [think_seconds=10] [seconds=12] [threads=0]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "loadgate/loadgate.hpp"

namespace {

// VmRSS of this process, in KiB.
long resident_kib() {
  std::ifstream status{"/proc/self/status"};
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  return -1;
}

std::chrono::nanoseconds seconds(double s) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(s));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: memory_bench URL [users=10000] [think_seconds=10] [seconds=12] [threads=0]\n");
    return 2;
  }
  const std::size_t users = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 10'000;
  const double think = argc > 3 ? std::strtod(argv[3], nullptr) : 10.0;
  const double duration = argc > 4 ? std::strtod(argv[4], nullptr) : 12.0;
  const std::size_t threads = argc > 5 ? std::strtoul(argv[5], nullptr, 10) : 0;

  const auto scenario = loadgate::scenario{"memory"}
                            .users(users)
                            .threads(threads)
                            .duration(seconds(duration))
                            .think_time(loadgate::constant(seconds(think)))
                            .task(loadgate::http_task("get", "GET", "/"));
  const auto target = loadgate::target::parse(argv[1]);
  const long before = resident_kib();
  long peak = before;
  std::uint64_t peak_active = 0;
  loadgate::run_options options;
  options.progress_interval = std::chrono::milliseconds{500};
  options.on_progress = [&](const loadgate::progress& p) {
    peak = std::max(peak, resident_kib());
    peak_active = std::max(peak_active, p.active_users);
  };
  const auto result = loadgate::run(scenario, target, options);
  const auto total = result.total();
  std::printf("users %zu active_peak %llu requests %llu failures %llu\n", users,
              static_cast<unsigned long long>(peak_active), static_cast<unsigned long long>(total.count()),
              static_cast<unsigned long long>(total.failures()));
  std::printf("rss_kib before %ld during %ld\n", before, peak);
  std::printf("kib_per_user %.2f\n", static_cast<double>(peak - before) / static_cast<double>(users));
  return total.failures() == 0 ? 0 : 1;
}
