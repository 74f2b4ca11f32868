#include "loadgate/llm/prompt_source.hpp"

#include <array>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "detail/strict_json.hpp"
#include "detail/random.hpp"

namespace loadgate::llm {
using loadgate::detail::field_or;
using loadgate::detail::reject_unknown_fields;
using loadgate::detail::require_object;
namespace {

using nlohmann::json;

// Common short words: each is one token for most tokenizers and one word for lorax-sim. Random
// order keeps servers' prefix caches from turning the load into cache hits.
constexpr std::array<std::string_view, 32> words{
    "the", "a", "of", "and", "to", "in", "is", "it", "that", "was", "for", "on", "are", "as", "with", "his",
    "they", "at", "be", "this", "have", "from", "or", "one", "had", "by", "word", "but", "not", "what", "all", "were"};

std::string synthetic_text(unsigned n, random_engine& rng) {
  std::string text;
  text.reserve(n * 5);
  for (unsigned i = 0; i < n; ++i) {
    if (i > 0) text.push_back(' ');
    text.append(words[loadgate::detail::below(rng, words.size())]);
  }
  return text;
}

[[noreturn]] void reject(std::string_view origin, std::size_t line, const std::string& what) {
  throw configuration_error{std::string{origin} + ":" + std::to_string(line) + ": " + what +
                            R"( (expected {"prompt": "...", "max_new_tokens": 64} per line, max_new_tokens optional))"};
}

prompt read_line(std::string_view line, std::string_view origin, std::size_t number) {
  const json entry = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!entry.is_object()) reject(origin, number, "not a JSON object");
  for (const auto& [key, value] : entry.items())
    if (key != "prompt" && key != "max_new_tokens") reject(origin, number, "unknown key \"" + key + "\"");
  const auto text = entry.find("prompt");
  if (text == entry.end() || !text->is_string()) reject(origin, number, "\"prompt\" must be a string");
  prompt p{text->get<std::string>(), std::nullopt};
  if (const auto max = entry.find("max_new_tokens"); max != entry.end() && !max->is_null()) {
    if (!max->is_number_unsigned() || max->get<std::uint64_t>() < 1 || max->get<std::uint64_t>() > 1'000'000)
      reject(origin, number, "\"max_new_tokens\" must be an integer in [1, 1000000]");
    p.max_new_tokens = max->get<unsigned>();
  }
  return p;
}

}  // namespace

prompt_source::prompt_source() = default;

prompt_source prompt_source::synthetic(length_distribution input, std::optional<length_distribution> output) {
  prompt_source p;
  p.input_ = input;
  p.output_ = output;
  return p;
}

prompt_source prompt_source::from_jsonl_text(std::string_view text, std::string_view origin) {
  auto prompts = std::make_shared<std::vector<prompt>>();
  std::size_t number = 0;
  while (!text.empty()) {
    const auto end = std::min(text.find('\n'), text.size());
    auto line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    prompts->push_back(read_line(line, origin, number));
  }
  if (prompts->empty()) throw configuration_error{std::string{origin} + ": no prompts"};
  prompt_source p;
  p.kind_ = kind::file;
  p.prompts_ = std::move(prompts);
  p.origin_ = origin;
  return p;
}

prompt_source prompt_source::jsonl(const std::string& path) {
  std::ifstream file{path};
  if (!file) throw configuration_error{"cannot read prompt file " + path + ": check the path"};
  std::ostringstream text;
  text << file.rdbuf();
  return from_jsonl_text(text.str(), path);
}

prompt prompt_source::next(random_engine& rng) const {
  if (kind_ == kind::file) return (*prompts_)[loadgate::detail::below(rng, prompts_->size())];
  prompt p{synthetic_text(input_.next(rng), rng), std::nullopt};
  if (output_) p.max_new_tokens = output_->next(rng);
  return p;
}

void to_json(nlohmann::json& j, const prompt_source& p) {
  if (p.type() == prompt_source::kind::file) {
    j = {{"type", "file"}, {"path", p.origin()}, {"prompts", p.size()}};
    return;
  }
  j = {{"type", "synthetic"}, {"input", p.input()}};
  if (p.output()) j["output"] = *p.output();
}

void from_json(const nlohmann::json& j, prompt_source& p) {
  constexpr std::string_view where = "prompts";
  require_object(j, where);
  const auto type = field_or<std::string>(j, where, "type", "synthetic");
  if (type == "file") {
    reject_unknown_fields(j, where, {"type", "path"});
    p = prompt_source::jsonl(field_or<std::string>(j, where, "path", ""));
    return;
  }
  if (type != "synthetic") throw configuration_error{"prompts: \"type\" must be synthetic or file, got \"" + type + "\""};
  reject_unknown_fields(j, where, {"type", "input", "output"});
  std::optional<length_distribution> output;
  if (const auto it = j.find("output"); it != j.end()) output = it->get<length_distribution>();
  const auto input = j.contains("input") ? j.at("input").get<length_distribution>() : length_distribution{};
  p = prompt_source::synthetic(input, output);
}

}  // namespace loadgate::llm
