// The fault matrix: a run against a service that misbehaves, one way per test, through the
// simulator's fault injection and the small test server. For each fault:
// - the run ends on time: within duration + grace + 1 s;
// - every request is accounted for exactly once: the open model's plan is counted apart from the
//   tallies, so planned = succeeded + failed by kind (cancelled included) + dropped, and the
//   server's own count of the requests it received, and of the faults it injected, agrees;
// - failures are classified as the fault says;
// - resident memory stays bounded: the process's peak resident set over the run, less what it held
//   before, is printed and checked against a bound.
// Each test prints one line of figures, `[fault matrix] ...`; the README's table quotes them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loadgate/error.hpp"
#include "loadgate/llm/llm.hpp"
#include "loadgate/run.hpp"
#include "sim_process.hpp"
#include "support/sanitizers.hpp"
#include "support/test_server.hpp"
#include "test_client.hpp"

namespace loadgate {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

// ---- resident memory ---------------------------------------------------------------------------

// A field of /proc/self/status in KiB ("VmRSS", "VmHWM"); 0 when absent.
std::uint64_t status_kib(const std::string& field) {
  std::ifstream status{"/proc/self/status"};
  for (std::string line; std::getline(status, line);)
    if (line.starts_with(field + ":")) return std::stoull(line.substr(field.size() + 1));
  return 0;
}

// Resets the peak resident set (VmHWM) to the current one (Linux: clear_refs 5); false when the
// kernel refuses, and then no peak over a run can be measured.
bool reset_peak_rss() {
  std::ofstream clear{"/proc/self/clear_refs"};
  clear << "5";
  clear.flush();
  return clear.good();
}

// ---- one run under a fault ---------------------------------------------------------------------

struct fault_run {
  result r;
  std::chrono::milliseconds wall{};
  std::optional<std::uint64_t> peak_growth_kib;  // none when the peak could not be reset
};

constexpr std::uint64_t default_memory_bound_kib = 32 * 1024;

std::string kinds_text(const tally& t) {
  std::string out = std::to_string(t.successes()) + " ok";
  for (const auto kind : all_failure_kinds)
    if (const auto n = t.failures(kind)) out += " + " + std::to_string(n) + " " + std::string{to_string(kind)};
  return out;
}

// Every failure of the run is of `kind`, the fault's: it was classified right.
void expect_only_failures_of(const tally& total, failure_kind kind) {
  EXPECT_EQ(total.failures(), total.failures(kind)) << kinds_text(total);
}

// Runs `s` and checks what every fault must keep: the end on time, the plan's accounting, the
// memory bound. The line it prints is the matrix's row of figures.
fault_run run_under_fault(const std::string& fault, const scenario& s, const target& t, const run_options& options = {},
                          std::uint64_t memory_bound_kib = default_memory_bound_kib) {
  fault_run f;
  const bool peak_resettable = reset_peak_rss();
  const auto rss_before = status_kib("VmRSS");
  const auto started = std::chrono::steady_clock::now();
  f.r = run(s, t, options);
  f.wall = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  if (peak_resettable) f.peak_growth_kib = status_kib("VmHWM") - std::min(rss_before, status_kib("VmHWM"));

  const auto limit = std::chrono::duration_cast<std::chrono::milliseconds>(s.duration() + s.grace() + 1s);
  EXPECT_LE(f.wall, limit) << fault << ": the run must end within duration + grace + 1 s";
  const auto total = f.r.total();
  EXPECT_EQ(f.r.info.planned_arrivals, total.count() + f.r.info.dropped_arrivals)
      << fault << ": every planned arrival is counted once, as a success, a failure of one kind, or dropped";
  // And the plan is the scenario's: rate × duration arrivals, none lost before dispatch.
  EXPECT_EQ(f.r.info.planned_arrivals,
            static_cast<std::uint64_t>(std::llround(s.rate() * std::chrono::duration<double>(s.duration()).count())));
  if (f.peak_growth_kib && !testing::under_sanitizer) {
    EXPECT_LE(*f.peak_growth_kib, memory_bound_kib) << fault << ": resident memory grew past its bound";
  }

  std::cout << "[fault matrix] " << fault << ": " << f.r.info.planned_arrivals << " planned = " << kinds_text(total)
            << " + " << f.r.info.dropped_arrivals << " dropped; " << f.wall.count() << " ms (limit " << limit.count()
            << " ms); peak RSS +" << (f.peak_growth_kib ? std::to_string(*f.peak_growth_kib) + " KiB" : "unmeasured")
            << std::endl;
  return f;
}

// Open model, so that the plan is known: 40 arrivals per second for 2 s, 1 s of grace.
scenario planned(const char* name, task t) {
  return scenario{name}.rate(40).threads(1).duration(2s).grace(1s).task(std::move(t));
}

task plain_get() { return http_task("get", "GET", "/"); }

// ---- the simulator's side ----------------------------------------------------------------------

lorax::options llm_options(unsigned tokens) {
  lorax::options o;
  o.max_new_tokens = tokens;
  o.prompts = llm::prompt_source::synthetic(llm::length_distribution::fixed(8));
  return o;
}

// A counter of the simulator's /metrics; throws when it is absent, so that a check against it
// cannot pass by default.
std::uint64_t sim_counter(const sim_test::sim_process& sim, const std::string& name) {
  const auto metrics = sim_test::get(sim.port(), "/metrics");
  const double v = sim_test::metric_value(metrics.body, name);
  if (metrics.status != 200 || v < 0) throw std::runtime_error{"the simulator's /metrics has no " + name};
  return static_cast<std::uint64_t>(v);
}

// The simulator at a tenth of the model's time: 2 ms steps, a 16-token stream in ~40 ms.
std::vector<std::string> fast_sim(std::vector<std::string> faults) {
  std::vector<std::string> flags{"--time-scale", "0.1"};
  flags.insert(flags.end(), faults.begin(), faults.end());
  return flags;
}

// ---- the faults --------------------------------------------------------------------------------

TEST(FaultMatrix, ResetsMidResponseAreResetsOnePerResetTheServerMade) {
  sim_test::sim_process sim(fast_sim({"--reset-rate", "0.25"}));
  const auto f = run_under_fault("resets mid-stream", planned("resets", lorax::generate_stream(llm_options(16))), target::parse(sim.url()));
  const auto total = f.r.total();
  EXPECT_EQ(total.count(), sim_counter(sim, "lorax_request_count"));
  EXPECT_GT(total.failures(failure_kind::reset), 0u);
  EXPECT_EQ(total.failures(failure_kind::reset), sim_counter(sim, "lorax_request_failure{err=\"reset\"}"));
  expect_only_failures_of(total, failure_kind::reset);
}

TEST(FaultMatrix, AStallLongerThanTheIdleTimeoutTimesOutWhatItCaught) {
  // Every second of wall time ends with 400 ms in which the simulator's step loop is frozen;
  // streams caught in it fall silent for longer than the 150 ms idle timeout.
  sim_test::sim_process sim(fast_sim({"--stall-every-s", "10", "--stall-ms", "4000"}));
  const auto s = planned("stalls", lorax::generate_stream(llm_options(16))).idle_timeout(150ms);
  const auto f = run_under_fault("stalls beyond the timeout", s, target::parse(sim.url()));
  const auto total = f.r.total();
  EXPECT_EQ(total.count(), sim_counter(sim, "lorax_request_count"));
  EXPECT_GT(total.successes(), 0u) << "requests outside the stalls succeed";
  EXPECT_GT(total.failures(failure_kind::timeout), 0u);
  expect_only_failures_of(total, failure_kind::timeout);
}

TEST(FaultMatrix, ABurstOf5xxIsCountedOneForOneWithTheServersErrors) {
  // Half a second into the run every request fails with 500 (an injected incomplete generation);
  // half a second later the faults are reset. Both are said to the simulator from the progress
  // callback, which runs on a thread of its own.
  sim_test::sim_process sim(fast_sim({}));
  run_options options;
  options.progress_interval = 500ms;
  int calls = 0;
  options.on_progress = [&](const progress&) {
    ++calls;
    if (calls == 1) (void)sim_test::post(sim.port(), "/admin/faults", R"({"error_rates":{"incomplete_generation":1}})");
    if (calls == 2) (void)sim_test::send({.method = "DELETE", .target = "/admin/faults", .port = sim.port()});
  };
  const auto f = run_under_fault("a burst of 5xx", planned("burst", lorax::generate(llm_options(8))), target::parse(sim.url()), options);
  const auto total = f.r.total();
  EXPECT_GE(calls, 2);
  EXPECT_EQ(total.count(), sim_counter(sim, "lorax_request_count"));
  EXPECT_GT(total.failures(failure_kind::http_5xx), 5u);
  EXPECT_GT(total.successes(), total.failures()) << "the burst is a quarter of the run";
  EXPECT_EQ(total.failures(failure_kind::http_5xx), sim_counter(sim, "lorax_request_failure{err=\"incomplete\"}"));
  expect_only_failures_of(total, failure_kind::http_5xx);
}

TEST(FaultMatrix, MalformedSseIsAProtocolFailureOnePerBrokenEvent) {
  sim_test::sim_process sim(fast_sim({"--malformed-sse-rate", "0.25"}));
  const auto f = run_under_fault("malformed SSE", planned("malformed", lorax::generate_stream(llm_options(16))), target::parse(sim.url()));
  const auto total = f.r.total();
  EXPECT_EQ(total.count(), sim_counter(sim, "lorax_request_count"));
  EXPECT_GT(total.failures(failure_kind::protocol), 0u);
  EXPECT_EQ(total.failures(failure_kind::protocol), sim_counter(sim, "lorax_sim_malformed_events"));
  expect_only_failures_of(total, failure_kind::protocol);
}

TEST(FaultMatrix, AServerThatAcceptsAndNeverAnswersTimesOutEveryRequest) {
  testing::test_server server{{.hang_from = 1}};
  const auto s = planned("silent", plain_get()).request_timeout(500ms);
  const auto f = run_under_fault("accepts, never answers", s, target::parse(server.url()));
  const auto total = f.r.total();
  EXPECT_EQ(total.count(), server.requests()) << "each request reached the server, once";
  EXPECT_EQ(total.successes(), 0u);
  expect_only_failures_of(total, failure_kind::timeout);
}

TEST(FaultMatrix, AServerKilledMidRunLeavesConnectFailuresAndCutStreams) {
  // SIGKILL at the first progress snapshot (0.5 s): the streams in flight are cut, every request
  // after it is refused. The server's count dies with it; the plan's accounting still holds.
  sim_test::sim_process sim(fast_sim({}));
  const auto pid = sim.pid();
  run_options options;
  options.progress_interval = 500ms;
  options.on_progress = [pid, killed = false](const progress&) mutable {
    if (!std::exchange(killed, true)) kill(pid, SIGKILL);
  };
  const auto f = run_under_fault("server killed", planned("killed", lorax::generate_stream(llm_options(16))), target::parse(sim.url()), options);
  const auto total = f.r.total();
  EXPECT_GT(total.successes(), 0u) << "before the kill";
  EXPECT_GT(total.failures(failure_kind::connect), 0u) << "after it";
  EXPECT_EQ(total.failures(), total.failures(failure_kind::connect) + total.failures(failure_kind::reset) +
                                  total.failures(failure_kind::incomplete))
      << kinds_text(total);
  EXPECT_THAT(total.examples().at(failure_kind::connect), ::testing::Contains(HasSubstr("refused")));
}

TEST(FaultMatrix, AVerySlowResponseIsATimeoutWhenItsWholeOutlastsTheRequestTimeout) {
  // Ten chunks 100 ms apart: never silent long enough for the idle timeout, but each response
  // takes a second, more than the 600 ms the request may take in all.
  testing::test_server server{{.chunks = 10, .chunk_delay = 100ms, .body = std::string(1000, 'x')}};
  const auto s = planned("slow", plain_get()).request_timeout(600ms).idle_timeout(300ms);
  const auto f = run_under_fault("very slow responses", s, target::parse(server.url()));
  const auto total = f.r.total();
  EXPECT_EQ(total.count(), server.requests());
  expect_only_failures_of(total, failure_kind::timeout);
  EXPECT_EQ(total.successes(), 0u);
}

TEST(FaultMatrix, VeryLargeBodiesAreReadInBoundedMemory) {
  // 32 MiB per response, 20 of them: 640 MiB through the client, read 64 KiB at a time.
  testing::test_server server{{.body = std::string(32u << 20, 'x')}};
  const auto s = planned("large", plain_get()).rate(10);
  const auto f = run_under_fault("32 MiB bodies", s, target::parse(server.url()), {}, 16 * 1024);
  const auto total = f.r.total();
  EXPECT_EQ(total.count(), server.requests());
  EXPECT_EQ(total.failures(), 0u) << kinds_text(total);
}

TEST(FaultMatrix, AnLlmBodyPastTheReadersLimitIsAProtocolFailureNotAnAllocation) {
  // A non-streamed generation is parsed whole, so its reader keeps the body, up to 16 MiB. Sent
  // with its length (as LoRAX sends it), a larger one fails before its first byte and nothing is
  // kept. Sent in chunks, it grows to 1 MiB, then gets room for the limit in one reservation, and
  // is freed at once when it passes it: the limit and a little at the peak.
  for (const std::size_t chunks : {std::size_t{0}, std::size_t{320}}) {
    testing::test_server server{{.chunks = chunks, .body = std::string(20u << 20, 'x')}};
    const auto s = planned("too_large", lorax::generate(llm_options(8))).rate(10).max_in_flight(1);
    const auto f = run_under_fault(chunks ? "20 MiB LLM bodies, chunked" : "20 MiB LLM bodies, with Content-Length", s,
                                   target::parse(server.url()), {}, chunks ? 32 * 1024 : 1024);
    const auto total = f.r.total();
    EXPECT_EQ(total.count(), server.requests());
    expect_only_failures_of(total, failure_kind::protocol);
    EXPECT_EQ(total.successes(), 0u);
    EXPECT_THAT(total.examples().at(failure_kind::protocol), ::testing::Contains(HasSubstr("larger than the reader's limit")));
  }
}

TEST(FaultMatrix, AServerThatClosesAfterEveryResponseCostsNoRequest) {
  // Keep-alive is not refused, the connection is simply closed after each response: the next
  // request meets a closed connection and is sent again on a new one, not counted twice.
  testing::test_server server{{.close_after = 1, .announce_close = false}};
  const auto s = scenario{"closing"}.rate(200).threads(1).duration(2s).grace(1s).task(plain_get());
  const auto f = run_under_fault("closes after every response", s, target::parse(server.url()));
  const auto total = f.r.total();
  EXPECT_EQ(total.count(), server.requests());
  EXPECT_EQ(total.failures(), 0u) << kinds_text(total);
  EXPECT_GE(server.connections(), total.count()) << "one connection per response";
}

TEST(FaultMatrix, ANameThatDoesNotResolveStopsTheRunAtOnceSayingSo) {
  // A 64-character label is longer than DNS allows (63), so the resolver refuses it without
  // asking a name server: the test sends nothing off this machine.
  const std::string host = std::string(64, 'a') + ".invalid";
  const auto started = std::chrono::steady_clock::now();
  EXPECT_THAT([&] { (void)run(planned("unresolved", plain_get()), target::parse("http://" + host + ":8080")); },
              ::testing::ThrowsMessage<start_error>(HasSubstr("cannot resolve the target host '" + host + "'")));
  const auto wall = std::chrono::steady_clock::now() - started;
  EXPECT_LT(wall, 1s);
  std::cout << "[fault matrix] a name that does not resolve: start_error before any request, "
            << std::chrono::duration_cast<std::chrono::milliseconds>(wall).count() << " ms" << std::endl;
}

TEST(FaultMatrix, AFailedTlsHandshakeStopsTheRunBeforeAnyRequest) {
  testing::test_server server{{.tls = true}};  // a self-signed certificate nobody trusts
  const auto started = std::chrono::steady_clock::now();
  EXPECT_THAT([&] { (void)run(planned("tls", plain_get()), target::parse(server.url())); },
              ::testing::ThrowsMessage<start_error>(HasSubstr("certificate verify failed")));
  const auto wall = std::chrono::steady_clock::now() - started;
  EXPECT_LT(wall, 1s);
  EXPECT_EQ(server.connections(), 1u) << "only the pre-flight probe connected";
  EXPECT_EQ(server.requests(), 0u);
  std::cout << "[fault matrix] a TLS handshake that fails: start_error, 0 requests at the server, "
            << std::chrono::duration_cast<std::chrono::milliseconds>(wall).count() << " ms" << std::endl;
}

}  // namespace
}  // namespace loadgate
