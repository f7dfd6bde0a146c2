#include "reports/output_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace fleetsim {
namespace {

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(OutputFileTest, WritesWholeFileAndLeavesNoTemporary) {
  std::filesystem::path dir = std::filesystem::path(testing::TempDir()) / "fleetsim_output_test";
  std::filesystem::create_directories(dir);
  std::filesystem::path target = dir / "report.json";
  ASSERT_TRUE(WriteOutputFile(target.string(), "{\"a\": 1}\n").ok());
  EXPECT_EQ(ReadAll(target), "{\"a\": 1}\n");
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename(), "report.json");
  }
}

TEST(OutputFileTest, ReplacesAnOldFile) {
  std::filesystem::path target =
      std::filesystem::path(testing::TempDir()) / "fleetsim_replace.json";
  ASSERT_TRUE(WriteOutputFile(target.string(), "old").ok());
  ASSERT_TRUE(WriteOutputFile(target.string(), "new").ok());
  EXPECT_EQ(ReadAll(target), "new");
}

TEST(OutputFileTest, UnwritableDirectoryIsAnErrorNamingThePath) {
  Status s = WriteOutputFile("/nonexistent-dir/x.json", "data");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("/nonexistent-dir/x.json"), std::string::npos);
}

}  // namespace
}  // namespace fleetsim
