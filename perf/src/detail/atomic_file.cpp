#include "detail/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <system_error>

#include "loadgate/error.hpp"

namespace loadgate::detail {
namespace fs = std::filesystem;

void write_file_atomically(const fs::path& file, std::string_view content) {
  const fs::path temporary = file.string() + ".tmp-" + std::to_string(::getpid());
  {
    std::FILE* out = std::fopen(temporary.c_str(), "wb");
    if (!out) throw configuration_error("cannot write " + temporary.string() + ": " + std::strerror(errno));
    const bool written = std::fwrite(content.data(), 1, content.size(), out) == content.size() &&
                         std::fflush(out) == 0 && ::fsync(::fileno(out)) == 0;
    std::fclose(out);
    if (!written) {
      fs::remove(temporary);
      throw configuration_error("cannot write " + temporary.string() + " (disk full?)");
    }
  }
  std::error_code ec;
  fs::rename(temporary, file, ec);
  if (ec) {
    fs::remove(temporary);
    throw configuration_error("cannot move " + temporary.string() + " to " + file.string() + ": " + ec.message());
  }
}

}  // namespace loadgate::detail
