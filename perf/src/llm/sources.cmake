# The llm box: LLM request shapes, SSE parsing, stream readers, LLM and per-adapter statistics.
# Protocol-independent: bytes in, events out; no Beast here.
set(LOADGATE_LLM_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/adapter.cpp
  ${CMAKE_CURRENT_LIST_DIR}/adapter_selection.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dialect.cpp
  ${CMAKE_CURRENT_LIST_DIR}/error_body.cpp
  ${CMAKE_CURRENT_LIST_DIR}/generate.cpp
  ${CMAKE_CURRENT_LIST_DIR}/generation_options.cpp
  ${CMAKE_CURRENT_LIST_DIR}/length_distribution.cpp
  ${CMAKE_CURRENT_LIST_DIR}/llm_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/llm_task.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lorax.cpp
  ${CMAKE_CURRENT_LIST_DIR}/non_streaming_reader.cpp
  ${CMAKE_CURRENT_LIST_DIR}/openai.cpp
  ${CMAKE_CURRENT_LIST_DIR}/per_request_slo.cpp
  ${CMAKE_CURRENT_LIST_DIR}/prompt_source.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_metrics.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_timing.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sse_parser.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stream_chunk.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stream_reader.cpp)
target_sources(loadgate PRIVATE ${LOADGATE_LLM_SOURCES})
