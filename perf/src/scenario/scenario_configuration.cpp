#include "loadgate/scenario_configuration.hpp"

#include "loadgate/scenario_file.hpp"

namespace loadgate {

nlohmann::json scenario_configuration(const scenario& s, const nlohmann::json& extra) {
  nlohmann::json configuration = {{"scenario", s}};
  if (!extra.is_null()) configuration["extra"] = extra;
  return configuration;
}

}  // namespace loadgate
