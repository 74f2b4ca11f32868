#include "detail/json_text.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace loadgate::detail {
namespace {

bool flat_array(const nlohmann::json& j) {
  return j.is_array() && std::all_of(j.begin(), j.end(), [](const auto& e) {
           return e.is_primitive() || (e.is_array() && std::all_of(e.begin(), e.end(), [](const auto& x) { return x.is_primitive(); }));
         });
}

bool one_line(const nlohmann::json& j) { return j.is_primitive() || flat_array(j); }

bool small_object(const nlohmann::json& j) {
  return j.is_object() && !j.empty() && std::all_of(j.begin(), j.end(), [](const auto& v) { return one_line(v); });
}

void pretty(const nlohmann::json& j, std::string& out, std::size_t indent) {
  if (one_line(j)) {
    out += j.dump();
    return;
  }
  if (small_object(j)) {
    out += "{";
    for (auto it = j.begin(); it != j.end(); ++it)
      out += (it == j.begin() ? "" : ", ") + nlohmann::json(it.key()).dump() + ": " + it.value().dump();
    out += "}";
    return;
  }
  const bool object = j.is_object();
  if (j.empty()) {
    out += object ? "{}" : "[]";
    return;
  }
  out += object ? "{\n" : "[\n";
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it != j.begin()) out += ",\n";
    out.append(indent + 2, ' ');
    if (object) out += nlohmann::json(it.key()).dump() + ": ";
    pretty(it.value(), out, indent + 2);
  }
  out += "\n";
  out.append(indent, ' ');
  out += object ? "}" : "]";
}

}  // namespace

std::string readable_json(const nlohmann::json& j) {
  std::string out;
  pretty(j, out, 0);
  return out + "\n";
}

}  // namespace loadgate::detail
