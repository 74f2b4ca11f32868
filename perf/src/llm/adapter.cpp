#include "loadgate/llm/adapter.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"

namespace loadgate::llm {
namespace {

using nlohmann::json;

constexpr std::string_view expected_shape =
    R"(expected {"adapters": [...]} or a JSON array of {"id": "...", "source": "hub"|"s3"|"local"|"pbase", "size_mb": number, "broken": bool (optional)})";

[[noreturn]] void reject(std::string_view origin, const std::string& what) {
  throw configuration_error{std::string{origin} + ": " + what + "; " + std::string{expected_shape}};
}

adapter read_entry(const json& entry, std::string_view origin, std::size_t index) {
  const auto where = "entry " + std::to_string(index);
  if (!entry.is_object()) reject(origin, where + " is not an object");
  for (const auto& [key, value] : entry.items()) {
    if (key != "id" && key != "source" && key != "size_mb" && key != "broken") reject(origin, where + " has an unknown key \"" + key + "\"");
  }
  const auto id = entry.find("id");
  if (id == entry.end() || !id->is_string() || id->get_ref<const std::string&>().empty())
    reject(origin, where + ": \"id\" must be a non-empty string");
  const auto source = entry.find("source");
  if (source == entry.end() || !source->is_string())
    reject(origin, where + ": \"source\" must be a string");
  const auto& source_name = source->get_ref<const std::string&>();
  if (source_name != "hub" && source_name != "s3" && source_name != "local" && source_name != "pbase")
    reject(origin, where + ": \"source\" is \"" + source_name + "\"");
  const auto size = entry.find("size_mb");
  if (size == entry.end() || !size->is_number() || size->get<double>() < 0)
    reject(origin, where + ": \"size_mb\" must be a number >= 0");
  const auto broken = entry.find("broken");
  if (broken != entry.end() && !broken->is_boolean()) reject(origin, where + ": \"broken\" must be true or false");
  return adapter{id->get<std::string>(), source_name, size->get<double>(),
                 broken != entry.end() && broken->get<bool>()};
}

}  // namespace

std::vector<adapter> parse_catalogue(std::string_view text, std::string_view origin) {
  const json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) reject(origin, "not valid JSON");
  const json* list = &doc;
  if (doc.is_object()) {
    const auto it = doc.find("adapters");
    if (it == doc.end()) reject(origin, "an object without an \"adapters\" array");
    list = &*it;
  }
  if (!list->is_array()) reject(origin, "not a JSON array");
  if (list->empty()) reject(origin, "no adapters");
  std::vector<adapter> adapters;
  adapters.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) adapters.push_back(read_entry((*list)[i], origin, i));
  return adapters;
}

std::vector<adapter> load_catalogue(const std::string& path) {
  std::ifstream file{path};
  if (!file) throw configuration_error{"cannot read adapter catalogue " + path + ": check the path (relative paths start at the working directory)"};
  std::ostringstream text;
  text << file.rdbuf();
  return parse_catalogue(text.str(), path);
}

void to_json(nlohmann::json& j, const adapter& a) {
  j = {{"id", a.id}, {"source", a.source}, {"size_mb", a.size_mb}};
  if (a.broken) j["broken"] = true;
}

}  // namespace loadgate::llm
