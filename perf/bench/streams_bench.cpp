// loadgate's own overhead on streamed requests: N concurrent /generate_stream users against
// lorax-sim, and how much the client's TTFT exceeds the server's own (the `timings` of each
// stream's final event). Prints KEY=VALUE lines for streams.sh.
//
//   streams_bench PORT [STREAMS=1000] [SECONDS=10] [TOKENS=32] [SPAWN_RATE=0: all at once]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "loadgate/llm/llm.hpp"
#include "loadgate/run.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: streams_bench PORT [STREAMS] [SECONDS] [TOKENS]\n");
    return 2;
  }
  const std::string port = argv[1];
  const auto streams = static_cast<std::size_t>(argc > 2 ? std::atoi(argv[2]) : 1000);
  const double seconds = argc > 3 ? std::atof(argv[3]) : 10;
  const auto tokens = static_cast<unsigned>(argc > 4 ? std::atoi(argv[4]) : 32);
  const double spawn_rate = argc > 5 ? std::atof(argv[5]) : 0;

  loadgate::lorax::options o;
  o.max_new_tokens = tokens;
  o.prompts = loadgate::llm::prompt_source::synthetic(loadgate::llm::length_distribution::fixed(16));
  const auto s = loadgate::scenario{"streams_bench"}
                     .users(streams)
                     .spawn_rate(spawn_rate)
                     .duration(std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(seconds)))
                     .task(loadgate::lorax::generate_stream(o));
  const auto r = loadgate::run(s, loadgate::target::parse("http://127.0.0.1:" + port));
  const auto llm = r.total({.request = "generate_stream"});
  const auto ms = [](std::int64_t us) { return static_cast<double>(us) / 1000.0; };
  const double client_p99 = ms(llm.of(loadgate::measure::ttft).value_at_percentile(99));
  const double server_p99 = ms(llm.of(loadgate::measure::server_ttft).value_at_percentile(99));
  std::printf("STREAMS=%zu\nPEAK_USERS=%llu\nSUCCESSES=%llu\nFAILURES=%llu\n", streams,
              static_cast<unsigned long long>(r.info.peak_users), static_cast<unsigned long long>(llm.successes()),
              static_cast<unsigned long long>(llm.failures()));
  std::printf("CLIENT_TTFT_P50_MS=%.3f\nSERVER_TTFT_P50_MS=%.3f\n", ms(llm.of(loadgate::measure::ttft).value_at_percentile(50)),
              ms(llm.of(loadgate::measure::server_ttft).value_at_percentile(50)));
  std::printf("CLIENT_TTFT_P99_MS=%.3f\nSERVER_TTFT_P99_MS=%.3f\n", client_p99, server_p99);
  std::printf("PER_REQUEST_DIFFERENCE_P50_MS=%.3f\nPER_REQUEST_DIFFERENCE_P99_MS=%.3f\n",
              ms(llm.of(loadgate::measure::ttft_minus_server_ttft).value_at_percentile(50)),
              ms(llm.of(loadgate::measure::ttft_minus_server_ttft).value_at_percentile(99)));
  std::printf("OUTPUT_TOKENS_PER_S=%.0f\n", static_cast<double>(llm.output_tokens_total()) / r.seconds());
  // The generator's own waits: bytes in the kernel before a read (taken out of every stamp) and
  // how late its timers fired (what a user-space stamp would have added).
  std::printf("READ_WAIT_P99_MS=%.3f\nLOOP_LAG_P99_MS=%.3f\n",
              std::chrono::duration<double, std::milli>(r.info.read_wait_p99).count(),
              std::chrono::duration<double, std::milli>(r.info.loop_lag_p99).count());
  return llm.failures() == 0 ? 0 : 1;
}
