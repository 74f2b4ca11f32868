#pragma once
// A LoRA adapter a request can ask for, and catalogues of them.
//
// Catalogue file: fixtures/data/adapters.json's shape,
//   {"adapters": [{"id": "org/name", "source": "hub" | "s3" | "local" | "pbase", "size_mb": 12.5,
//                  "broken": true}], "base_model": "...", "note": "..."}
// or just the array. "broken" is optional; other top-level keys are for people and ignored; any
// other entry key is a configuration_error naming the file, the entry and the problem.
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace loadgate::llm {

struct adapter {
  std::string id;              // "" is the base model: no adapter
  std::string source = "hub";  // where the server loads it from: hub, s3, local, pbase
  double size_mb = 0;          // informational
  bool broken = false;         // informational: the catalogue says every load fails (lorax-sim: 424)

  bool is_base_model() const { return id.empty(); }
  bool operator==(const adapter&) const = default;
};

// The base model as a choice, for mixing base and adapter requests in one selection.
inline adapter base_model() { return adapter{}; }

// Reads a catalogue file; throws configuration_error when it cannot be read or has another shape.
std::vector<adapter> load_catalogue(const std::string& path);
// The same from text; `origin` names it in messages.
std::vector<adapter> parse_catalogue(std::string_view text, std::string_view origin = "adapter catalogue");

void to_json(nlohmann::json& j, const adapter& a);  // the catalogue entry shape

}  // namespace loadgate::llm
