#include "cli/specs.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "loadgate/error.hpp"

using namespace std::chrono_literals;
namespace cli = loadgate::cli;

TEST(CliSpecs, ThinkTimes) {
  EXPECT_EQ(cli::parse_think_time("none"), loadgate::think_time{});
  EXPECT_EQ(cli::parse_think_time("constant:1s"), loadgate::constant(1s));
  EXPECT_EQ(cli::parse_think_time("between:500ms:1500ms"), loadgate::between(500ms, 1500ms));
  EXPECT_EQ(cli::parse_think_time("pacing:2s"), loadgate::constant_pacing(2s));
  EXPECT_EQ(cli::parse_think_time("throughput:0.5"), loadgate::constant_pacing(2s));
  EXPECT_THROW(cli::parse_think_time("between:2s:1s"), loadgate::configuration_error);
  EXPECT_THROW(cli::parse_think_time("throughput:0"), loadgate::configuration_error);
  EXPECT_THROW(cli::parse_think_time("sometimes"), loadgate::configuration_error);
}

TEST(CliSpecs, Arrivals) {
  EXPECT_EQ(cli::parse_arrivals("constant"), loadgate::arrival_process::constant());
  EXPECT_EQ(cli::parse_arrivals("poisson"), loadgate::arrival_process::poisson());
  EXPECT_EQ(cli::parse_arrivals("gamma:0.25"), loadgate::arrival_process::gamma(0.25));
  EXPECT_THROW(cli::parse_arrivals("gamma:-1"), loadgate::configuration_error);
  EXPECT_THROW(cli::parse_arrivals("gamma"), loadgate::configuration_error);
}

TEST(CliSpecs, Stages) {
  EXPECT_EQ(cli::parse_stage("100:10s:1m"), (loadgate::stage{100, 10s, 60s}));
  try {
    cli::parse_stage("100:10s");
    FAIL();
  } catch (const loadgate::configuration_error& e) {
    EXPECT_THAT(e.what(), testing::HasSubstr("TARGET:RAMP:HOLD"));
  }
}

namespace {

// The SLO a spec means, compared by its parts.
void expect_slo(std::string_view spec, const loadgate::slo& wanted) {
  SCOPED_TRACE(std::string{spec});
  const auto got = cli::parse_slo(spec);
  EXPECT_EQ(got.metric, wanted.metric) << got.metric.key() << " vs " << wanted.metric.key();
  EXPECT_EQ(got.op, wanted.op);
  EXPECT_DOUBLE_EQ(got.limit, wanted.limit);
}

}  // namespace

TEST(CliSpecs, SlosReadAsTheBuildersWriteThem) {
  using namespace loadgate;
  expect_slo("p95<500ms", p95() < 500ms);
  expect_slo("latency.p99.9<=2s", percentile(latency(), 99.9) <= 2s);
  expect_slo("p99.9[generate]<1s", percentile(latency("generate"), 99.9) < 1s);
  expect_slo("ttft.p95<300ms", p95(ttft()) < 300ms);
  expect_slo("tpot.p90[adapter:org/lora,warm]<40ms", p90(tpot(warm_adapter("org/lora"))) < 40ms);
  expect_slo("max[adapter:org/lora]<3s", maximum(latency(adapter("org/lora"))) < 3s);
  expect_slo("ttft.mean[stream]<100ms", mean(ttft("stream")) < 100ms);
  expect_slo("failure_rate<1%", failure_rate() < 1_percent);
  expect_slo("failure_rate.timeout[generate]<0.5%", failure_rate("generate", failure_kind::timeout) < 0.5_percent);
  expect_slo("throughput>=50", throughput() >= 50.0);
  expect_slo("goodput[generate]>20", goodput("generate") > 20.0);
  expect_slo("achieved_rate>=99%", achieved_rate() >= 99_percent);
  expect_slo("max(server.queue_length)<50", server_metric("queue_length", statistic::maximum) < 50.0);
  expect_slo("mean(server.kube_deployment_status_replicas)>=2", server_metric("kube_deployment_status_replicas", statistic::mean) >= 2.0);
  expect_slo("min(server.running_batch)>0", server_metric("running_batch", statistic::minimum) > 0.0);
}

TEST(CliSpecs, AWrongSloSaysWhatWasExpected) {
  const auto message = [](std::string_view spec) {
    try {
      (void)cli::parse_slo(spec);
    } catch (const loadgate::configuration_error& e) {
      return std::string{e.what()};
    }
    return std::string{"accepted"};
  };
  EXPECT_THAT(message("p95"), testing::HasSubstr("METRIC OP LIMIT"));
  EXPECT_THAT(message("p95<500"), testing::HasSubstr("500"));  // a duration needs its unit
  EXPECT_THAT(message("failure_rate<1"), testing::HasSubstr("in percent"));
  EXPECT_THAT(message("failure_rate.slow<1%"), testing::HasSubstr("failure kind"));
  EXPECT_THAT(message("p0<1s"), testing::HasSubstr("above 0"));
  EXPECT_THAT(message("p95[adapter:x,hot]<1s"), testing::HasSubstr("[adapter:ID,cold]"));
  EXPECT_THAT(message("throughput<5ms"), testing::HasSubstr("not a number"));
  EXPECT_THAT(message("p95[generate<1s"), testing::HasSubstr("brackets"));
  EXPECT_THAT(message("achieved_rate[generate]>=99%"), testing::HasSubstr("planned for the whole run"));
  EXPECT_THAT(message("achieved_rate>=99"), testing::HasSubstr("in percent"));
  EXPECT_THAT(message("max(server.)<5"), testing::HasSubstr("max(server.NAME) with a scraped metric's name"));
  EXPECT_THAT(message("max(server.queue_length<5"), testing::HasSubstr("max(server.NAME)"));
  EXPECT_THAT(message("max(server.queue_length)<5ms"), testing::HasSubstr("not a number"));
}
