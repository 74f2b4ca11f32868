// The files a user hands loadgate: scenario files, result.json and baselines, arbitrary. Each
// reader either accepts the file or says what is wrong with a configuration_error; any other
// exception (a JSON type error, an out-of-range read) is a bug and crashes the fuzzer. What is
// accepted must survive writing and reading again unchanged.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include "loadgate/error.hpp"
#include "loadgate/gate/baseline.hpp"
#include "loadgate/result.hpp"
#include "loadgate/scenario_file.hpp"

namespace {

template <class Read>
void accept_or_refuse(Read&& read) {
  try {
    read();
  } catch (const loadgate::configuration_error&) {
    // a clear refusal: what a bad file should get
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto j = nlohmann::json::parse(data + 1, data + size, nullptr, false);
  if (j.is_discarded()) return 0;  // not JSON: the readers' callers say so before these run
  switch (data[0] % 3) {
    case 0:
      accept_or_refuse([&] {
        const nlohmann::json written = loadgate::scenario_from_json(j);
        if (nlohmann::json(loadgate::scenario_from_json(written)) != written)
          throw std::logic_error{"a scenario changed through its file"};
      });
      break;
    case 1:
      accept_or_refuse([&] {
        const auto r = j.get<loadgate::result>();
        if (!(nlohmann::json(r).get<loadgate::result>() == r)) throw std::logic_error{"a result changed through its file"};
      });
      break;
    default:
      accept_or_refuse([&] {
        const auto b = j.get<loadgate::baseline>();
        if (!(nlohmann::json(b).get<loadgate::baseline>() == b)) throw std::logic_error{"a baseline changed through its file"};
      });
  }
  return 0;
}
