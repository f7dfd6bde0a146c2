#include "reports/output_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fleetsim {

Status WriteOutputFile(const std::string& path, std::string_view content) {
  if (path == "-") {
    std::fwrite(content.data(), 1, content.size(), stdout);
    std::fflush(stdout);
    return std::ferror(stdout) ? Status::Error("cannot write to standard output") : Status::Ok();
  }
  std::filesystem::path target(path);
  std::filesystem::path temp = target;
  temp += ".fleetsim-partial";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) {
      return Status::Error(path + ": cannot write file: " + std::strerror(errno));
    }
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(temp, ignored);
      return Status::Error(path + ": cannot write file: " + std::strerror(errno));
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, target, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return Status::Error(path + ": cannot write file: " + ec.message());
  }
  return Status::Ok();
}

}  // namespace fleetsim
