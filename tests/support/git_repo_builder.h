// Real Git repositories built inside a test with libgit2: commits on branch main with chosen
// contents, times and messages, lightweight and annotated tags. The repository lives in a fresh
// temporary directory, removed on destruction.
#ifndef FLEETSIM_TESTS_SUPPORT_GIT_REPO_BUILDER_H_
#define FLEETSIM_TESTS_SUPPORT_GIT_REPO_BUILDER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

struct git_repository;

namespace fleetsim::testing_support {

class GitRepoBuilder {
 public:
  GitRepoBuilder();  // git init -b main in a new temporary directory
  ~GitRepoBuilder();
  GitRepoBuilder(const GitRepoBuilder&) = delete;
  GitRepoBuilder& operator=(const GitRepoBuilder&) = delete;

  // The directory holding the repository (its work tree; .git inside).
  const std::string& path() const { return path_; }

  // Commits the files of the previous commit with `writes` (path -> content) written and
  // `removes` deleted, authored and committed at `unix_time`. Returns the commit id (40 hex).
  std::string Commit(const std::map<std::string, std::string>& writes, int64_t unix_time,
                     const std::string& message, const std::vector<std::string>& removes = {});
  // Tags `commit` (40 hex); annotated tags get a tag object.
  void Tag(const std::string& name, const std::string& commit, bool annotated = false);

 private:
  std::string path_;
  git_repository* repo_ = nullptr;
  std::map<std::string, std::string> files_;
};

}  // namespace fleetsim::testing_support

#endif  // FLEETSIM_TESTS_SUPPORT_GIT_REPO_BUILDER_H_
