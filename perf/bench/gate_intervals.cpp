// How wide the gate's interval is when a metric is compared per window (paired block bootstrap,
// what every metric gets since result schema 2) against whole runs (the pooled fallback, which
// TTFT, TPOT, goodput, one request name, one failure kind and every per-adapter metric got before,
// since the windows kept overall latency and failures only).
//
//   gate_intervals BASELINE.json [--adapter ID]...
//
// The baseline's last run is the "current" side, the others the baseline side, so the true change
// is 0: the interval is the gate's noise, the narrower the better. Each metric is compared twice
// on the same runs: as they are, and with their windows removed.
#include <cstdio>
#include <string>
#include <vector>

#include "loadgate/error.hpp"
#include "loadgate/gate/baseline.hpp"
#include "loadgate/gate/gate.hpp"

namespace {

using namespace loadgate;

std::vector<result> without_windows(std::vector<result> runs) {
  for (auto& r : runs) r.series = {};
  return runs;
}

void compare(const metric& m, const std::vector<result>& base, const std::vector<result>& current) {
  const auto options = gate_options{}.metrics({{m, std::nullopt}});
  const auto windowed = decide(base, current, options).metrics.front();
  const auto pooled = decide(without_windows(base), without_windows(current), options).metrics.front();
  const bool relative = m.scale() == change_scale::relative;
  constexpr double unit = 100.0;  // percent, or percentage points for rates
  const char* suffix = relative ? "%" : "pp";
  std::printf("%-34s windowed [%+6.1f, %+6.1f] %s width %5.1f (%zu+%zu blocks) | whole runs [%+6.1f, %+6.1f] width %5.1f | %.2fx narrower\n",
              m.label().c_str(), unit * windowed.low, unit * windowed.high, suffix,
              unit * (windowed.high - windowed.low), windowed.baseline_blocks, windowed.current_blocks,
              unit * pooled.low, unit * pooled.high, unit * (pooled.high - pooled.low),
              (pooled.high - pooled.low) / (windowed.high - windowed.low));
  if (windowed.block_windows == 0) std::printf("  (windowed side fell back: %s)\n", windowed.note.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gate_intervals BASELINE.json [--adapter ID]...\n");
    return 2;
  }
  try {
    const auto b = read_baseline(argv[1]);
    if (b.runs.size() < 2) throw configuration_error{"the baseline needs at least 2 runs"};
    const std::vector<result> base(b.runs.begin(), b.runs.end() - 1);
    const std::vector<result> current{b.runs.back()};
    std::printf("%s: %zu baseline runs against its run %zu (true change 0)\n", b.scenario.c_str(), base.size(),
                b.runs.size());
    compare(p95(), base, current);
    if (records_ttft(b.runs.front())) compare(p95(ttft()), base, current);
    for (int i = 2; i + 1 < argc; i += 2) {
      if (std::string{argv[i]} != "--adapter") throw configuration_error{std::string{"unknown argument "} + argv[i]};
      compare(p95(latency(adapter(argv[i + 1]))), base, current);
      compare(throughput(adapter(argv[i + 1])), base, current);
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gate_intervals: %s\n", e.what());
    return 2;
  }
}
