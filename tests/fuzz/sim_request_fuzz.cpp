// lorax-sim's request handling on arbitrary bodies, for every route and POST /tokenize: each either
// makes a request (a token list) or an error with a status the server can send; it never throws
// or crashes (a throw would be a 500 from the test fixture that every loadgate test relies on).
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <stdexcept>
#include <string_view>
#include <variant>

#include "api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  constexpr lorax_sim::route_kind routes[] = {lorax_sim::route_kind::generate, lorax_sim::route_kind::generate_stream,
                                              lorax_sim::route_kind::compat, lorax_sim::route_kind::completions,
                                              lorax_sim::route_kind::chat_completions};
  const auto route = routes[data[0] % std::size(routes)];
  const std::string_view body{reinterpret_cast<const char*>(data) + 1, size - 1};
  static const lorax_sim::sim_config config;
  const auto check = [](const lorax_sim::api_error& error) {
    if (error.status < 400 || error.status > 599) throw std::logic_error{"an error with a non-error status"};
    if (error.message.empty()) throw std::logic_error{"an error that says nothing"};
  };
  const auto parsed = lorax_sim::parse_request(route, body, config);
  if (const auto* error = std::get_if<lorax_sim::api_error>(&parsed)) check(*error);
  const auto tokens = lorax_sim::tokenize_response(body);
  if (const auto* error = std::get_if<lorax_sim::api_error>(&tokens)) check(*error);
  (void)lorax_sim::content_type_rejection(body.substr(0, 64));
  return 0;
}
