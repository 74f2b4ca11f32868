#pragma once
// The error JSON that LLM servers return, in a non-2xx body or as a streamed event:
// LoRAX/TGI {"error": "...", "error_type": "overloaded"}, current vLLM/OpenAI
// {"error": {"message": "...", "type": "...", "code": 404}}, older vLLM
// {"object": "error", "message": "...", "type": "...", "code": 400}.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/failure_kind.hpp"

namespace loadgate::llm {

struct error_body {
  std::string type;     // error_type (LoRAX) or type (OpenAI); may be empty
  std::string message;
  std::optional<int> code;  // OpenAI's numeric code, when given

  // The server says it has no capacity: LoRAX error_type "overloaded", or code 429.
  bool overloaded() const;
};

// nullopt when `body` has none of the error shapes.
std::optional<error_body> find_error(const nlohmann::json& body);

// The failure of a non-2xx response: the status decides (failure_from_status), except that a body
// saying "overloaded" is overloaded whatever the status. Fills `found` with the body's error when
// it has one (any body, even one that is not JSON, is accepted: the status already failed it).
failure_kind classify_error_response(unsigned status, std::string_view body, error_body& found);

}  // namespace loadgate::llm
