#pragma once
// Everything for LLM workloads: request shapes, adapter and prompt selection, stream readers and
// the LLM statistics.
#include "loadgate/llm/adapter.hpp"
#include "loadgate/llm/adapter_selection.hpp"
#include "loadgate/llm/dialect.hpp"
#include "loadgate/llm/generation_options.hpp"
#include "loadgate/llm/length_distribution.hpp"
#include "loadgate/llm/llm_observation.hpp"
#include "loadgate/llm/llm_reader.hpp"
#include "loadgate/llm/lorax.hpp"
#include "loadgate/llm/non_streaming_reader.hpp"
#include "loadgate/llm/openai.hpp"
#include "loadgate/llm/per_request_slo.hpp"
#include "loadgate/llm/prompt_source.hpp"
#include "loadgate/llm/server_timing.hpp"
#include "loadgate/llm/sse_parser.hpp"
#include "loadgate/llm/stream_chunk.hpp"
#include "loadgate/llm/stream_reader.hpp"
