// One vocabulary over LoRAX's and vLLM's /metrics, and the series a run is asked to keep.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "loadgate/llm/server_metrics.hpp"

namespace loadgate::llm {
namespace {

using readings = std::map<std::string, double>;

TEST(ServerMetrics, LoraxsNamesAndTheSimulatorsAdapterGauge) {
  const auto r = server_readings(
      "lorax_queue_length 4\nlorax_batch_current_size 32\nlorax_batch_current_max_tokens 1536\n"
      "lorax_request_failure{err=\"overloaded\"} 3\nlorax_sim_active_adapters 7\n");
  EXPECT_EQ(r, (readings{{"queue_length", 4}, {"running_batch", 32}, {"batch_max_tokens", 1536}, {"active_adapters", 7}}));
}

TEST(ServerMetrics, VllmsNamesSummedOverModelsAndItsNewestLoraInfo) {
  const auto r = server_readings(
      "vllm:num_requests_waiting{model_name=\"a\"} 2\nvllm:num_requests_waiting{model_name=\"b\"} 1\n"
      "vllm:num_requests_running{model_name=\"a\"} 9\nvllm:gpu_cache_usage_perc{model_name=\"a\"} 0.25\n"
      "vllm:lora_requests_info{running_lora_adapters=\"x,y\",waiting_lora_adapters=\"\"} 100\n"
      "vllm:lora_requests_info{running_lora_adapters=\"x\",waiting_lora_adapters=\"y,z,w\"} 200\n");
  EXPECT_EQ(r, (readings{{"queue_length", 3}, {"running_batch", 9}, {"kv_cache_usage", 0.25}, {"active_adapters", 1},
                         {"waiting_adapters", 3}}));
  EXPECT_EQ(server_readings("vllm:kv_cache_usage_perc 0.5\nvllm:gpu_cache_usage_perc 0.25\n").at("kv_cache_usage"), 0.5)
      << "the newer name wins";
}

TEST(ServerMetrics, NamedSeriesAreKeptAndAbsentOnesLeftOut) {
  const auto r = server_readings(
      "kube_deployment_status_replicas{deployment=\"lorax\"} 3\nkube_deployment_status_replicas{deployment=\"router\"} 1\n",
      {"kube_deployment_status_replicas", "not_there"});
  EXPECT_EQ(r, (readings{{"kube_deployment_status_replicas", 4}}));
  EXPECT_TRUE(server_readings("# nothing\n").empty());
  EXPECT_EQ(server_readings("lorax_queue_length NaN\nlorax_batch_current_size +Inf\nq_seconds{quantile=\"0.5\"} NaN\n",
                            {"q_seconds"}),
            readings{})
      << "NaN and infinities are no reading (JSON cannot hold them)";
  EXPECT_THROW((void)server_readings("<html>not metrics</html>"), std::runtime_error);
}

}  // namespace
}  // namespace loadgate::llm
