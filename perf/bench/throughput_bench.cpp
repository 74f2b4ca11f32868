// How many requests per second loadgate drives through one thread, recording full statistics.
// Used by throughput.sh, which runs wrk (and Locust) against the same nginx for comparison.
//   throughput_bench URL [users=50] [threads=1] [seconds=10]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "loadgate/loadgate.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: throughput_bench URL [users=50] [threads=1] [seconds=10]\n");
    return 2;
  }
  const std::size_t users = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 50;
  const std::size_t threads = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 1;
  const double seconds = argc > 4 ? std::strtod(argv[4], nullptr) : 10.0;

  const auto scenario = loadgate::scenario{"throughput"}
                            .users(users)
                            .threads(threads)
                            .duration(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds)))
                            .task(loadgate::http_task("get", "GET", "/"));
  const auto result = loadgate::run(scenario, loadgate::target::parse(argv[1]));
  const auto total = result.total();
  std::printf("requests %llu failures %llu\n", static_cast<unsigned long long>(total.count()),
              static_cast<unsigned long long>(total.failures()));
  std::printf("latency_us p50 %lld p99 %lld max %lld\n", static_cast<long long>(total.latency().value_at_percentile(50)),
              static_cast<long long>(total.latency().value_at_percentile(99)),
              static_cast<long long>(total.latency().max()));
  std::printf("requests_per_second %.0f\n", result.requests_per_second());
  return total.failures() == 0 ? 0 : 1;
}
