target_sources(loadgate PRIVATE
  protocol/connection_settings.cpp
  protocol/fetch.cpp
  protocol/prometheus_text.cpp
  protocol/http_connection.cpp
  protocol/reachability.cpp
  protocol/request_writer.cpp
  protocol/response_parser.cpp
  protocol/source_address.cpp
  protocol/stamped_receive.cpp
  protocol/target.cpp
  protocol/task.cpp
  protocol/tls_client.cpp)
