#include "loadgate/target_from_env.hpp"

#include <fstream>
#include <sstream>

#include "detail/environment.hpp"
#include "scenario/environment_names.hpp"

namespace loadgate {
namespace {

std::optional<std::string> env(const std::string& name) { return detail::env_value(name.c_str()); }

std::string trimmed(std::string s) {
  const auto end = s.find_last_not_of(" \t\r\n");
  s.erase(end == std::string::npos ? 0 : end + 1);
  return s.substr(std::min(s.size(), s.find_first_not_of(" \t\r\n")));
}

located_target from_url_file(const std::string& variable, const std::string& file) {
  std::ifstream in{file};
  if (!in)
    throw start_error{"the service fixture did not write its URL to " + file + " (" + variable +
                      "): its start test failed or did not run; run the scenarios through ctest (it starts the "
                      "fixture), or set LOADGATE_TARGET=http://host:port"};
  std::ostringstream text;
  text << in.rdbuf();
  const auto url = trimmed(text.str());
  return {target::parse(url), "the service fixture's URL file " + file};
}

}  // namespace

located_target locate_target(std::string_view service) {
  const auto target_variable = detail::service_variable("LOADGATE_TARGET", service);
  if (const auto url = env(target_variable)) return {target::parse(*url), target_variable};
  const auto file_variable = detail::service_variable("LOADGATE_SERVICE_URL_FILE", service);
  if (const auto file = env(file_variable)) return from_url_file(file_variable, *file);
  throw configuration_error{"no target for the scenario: set " + target_variable +
                            "=http://host:port, or run it through ctest so that the service fixture writes its URL (" +
                            file_variable + ")"};
}

target target_from_env(std::string_view service) {
  auto located = locate_target(service);
  if (const auto why = unreachable_reason(located.target)) {
    throw unreachable_target{"nothing answers at " + located.target.url() + " (from " + located.origin + "): " + *why +
                             "; start the service or point LOADGATE_TARGET at one (LOADGATE_SKIP_UNREACHABLE=1 "
                             "skips such scenarios instead of failing them)"};
  }
  return located.target;
}

bool skip_unreachable_requested() { return detail::env_flag("LOADGATE_SKIP_UNREACHABLE"); }

}  // namespace loadgate
