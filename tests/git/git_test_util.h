// Helpers shared by the sim/git tests: scratch directories and typed YAML comparison.
#ifndef FLEETSIM_TESTS_GIT_GIT_TEST_UTIL_H_
#define FLEETSIM_TESTS_GIT_GIT_TEST_UTIL_H_

#include <string>
#include <string_view>

#include "sim/git/tree.h"
#include "sim/scenario/scenario.h"

namespace fleetsim::testing_git {

// A fresh directory under the test temp dir, removed with everything in it on destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes `content` to path()/relative, creating parent directories.
  void Write(const std::string& relative, std::string_view content) const;
  void MakeDir(const std::string& relative) const;

 private:
  std::string path_;
};

// The documents of `text` with every scalar written with its resolved type (YAML 1.2 core schema
// plus 1.1 booleans), so two texts compare equal exactly when they hold the same data.
std::string CanonicalYaml(std::string_view text);

// The text of the file at `path`, or "<missing>".
std::string FileText(const Tree& tree, std::string_view path);

// History ops, as the scenario loader would build them.
HistoryOp WriteOp(std::string path, std::string content);
HistoryOp DeleteOp(std::string path);
HistoryOp RenameOp(std::string from, std::string to);
HistoryOp SetImageOp(std::string path, std::string container, std::string image);
HistoryOp SetOp(std::string path, std::string field, std::string value, std::string select = "");

}  // namespace fleetsim::testing_git

#endif  // FLEETSIM_TESTS_GIT_GIT_TEST_UTIL_H_
