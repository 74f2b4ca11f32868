#pragma once
// Where each request's prompt (and, optionally, its output length) comes from: synthetic prompts
// of whitespace-separated words (lorax-sim counts input tokens by whitespace), or a JSONL file of
// {"prompt": "...", "max_new_tokens": 64} lines (max_new_tokens optional).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "loadgate/llm/length_distribution.hpp"
#include "loadgate/random_engine.hpp"

namespace loadgate::llm {

struct prompt {
  std::string text;
  std::optional<unsigned> max_new_tokens;  // nullopt: the request options decide
};

class prompt_source {
 public:
  enum class kind { synthetic, file };

  prompt_source();  // synthetic(fixed(128) input words), output length left to the request options

  // `input` words per prompt; `output` sets each request's max_new_tokens when given.
  static prompt_source synthetic(length_distribution input, std::optional<length_distribution> output = {});
  // Throws configuration_error naming the file and line of a malformed entry. Lines are drawn
  // uniformly at random with the user's rng.
  static prompt_source jsonl(const std::string& path);
  static prompt_source from_jsonl_text(std::string_view text, std::string_view origin = "prompt list");

  prompt next(random_engine& rng) const;

  kind type() const { return kind_; }
  const length_distribution& input() const { return input_; }
  const std::optional<length_distribution>& output() const { return output_; }
  std::size_t size() const { return prompts_ ? prompts_->size() : 0; }  // file: how many prompts
  const std::string& origin() const { return origin_; }

 private:
  kind kind_ = kind::synthetic;
  length_distribution input_;
  std::optional<length_distribution> output_;
  std::shared_ptr<const std::vector<prompt>> prompts_;  // shared: copies of a task share one file
  std::string origin_;
};

// {"type": "synthetic", "input": {...}, "output": {...}} | {"type": "file", "path": "...", "prompts": 200}
void to_json(nlohmann::json& j, const prompt_source& p);
// Scenario files: {"type": "synthetic", "input": {length}, "output": {length}} or
// {"type": "file", "path": "prompts.jsonl"}. Unknown keys: configuration_error.
void from_json(const nlohmann::json& j, prompt_source& p);

}  // namespace loadgate::llm
