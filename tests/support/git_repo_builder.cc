#include "tests/support/git_repo_builder.h"

#include <git2.h>
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>

namespace fleetsim::testing_support {
namespace {

void Check(int rc, const char* what) {
  if (rc == 0) return;
  const git_error* e = git_error_last();
  throw std::runtime_error(std::string(what) + ": " + (e != nullptr ? e->message : "?"));
}

}  // namespace

GitRepoBuilder::GitRepoBuilder() {
  git_libgit2_init();
  std::string tmpl = (std::filesystem::temp_directory_path() / "fleetsim-git-XXXXXX").string();
  path_ = mkdtemp(tmpl.data());
  git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  opts.flags = GIT_REPOSITORY_INIT_MKPATH;
  opts.initial_head = "main";
  Check(git_repository_init_ext(&repo_, path_.c_str(), &opts), "git init");
}

GitRepoBuilder::~GitRepoBuilder() {
  git_repository_free(repo_);
  git_libgit2_shutdown();
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string GitRepoBuilder::Commit(const std::map<std::string, std::string>& writes,
                                   int64_t unix_time, const std::string& message,
                                   const std::vector<std::string>& removes) {
  for (const auto& [path, content] : writes) files_[path] = content;
  for (const std::string& path : removes) files_.erase(path);
  git_index* index = nullptr;
  Check(git_index_new(&index), "index");
  for (const auto& [path, content] : files_) {
    git_index_entry entry{};
    entry.mode = GIT_FILEMODE_BLOB;
    entry.path = path.c_str();
    Check(git_blob_create_from_buffer(&entry.id, repo_, content.data(), content.size()), "blob");
    Check(git_index_add(index, &entry), "index add");
  }
  git_oid tree_id;
  Check(git_index_write_tree_to(&tree_id, index, repo_), "write tree");
  git_index_free(index);
  git_tree* tree = nullptr;
  Check(git_tree_lookup(&tree, repo_, &tree_id), "tree");
  git_signature* sig = nullptr;
  Check(git_signature_new(&sig, "Test", "test@example.com", unix_time, 0), "signature");
  git_commit* parent = nullptr;
  git_oid head;
  if (git_reference_name_to_id(&head, repo_, "HEAD") == 0) {
    Check(git_commit_lookup(&parent, repo_, &head), "parent");
  }
  const git_commit* parents[] = {parent};
  git_oid id;
  Check(git_commit_create(&id, repo_, "HEAD", sig, sig, nullptr, message.c_str(), tree,
                          parent != nullptr ? 1 : 0, parents),
        "commit");
  git_commit_free(parent);
  git_signature_free(sig);
  git_tree_free(tree);
  char hex[GIT_OID_HEXSZ + 1];
  git_oid_tostr(hex, sizeof(hex), &id);
  return hex;
}

void GitRepoBuilder::Tag(const std::string& name, const std::string& commit, bool annotated) {
  git_oid id;
  Check(git_oid_fromstr(&id, commit.c_str()), "oid");
  git_object* target = nullptr;
  Check(git_object_lookup(&target, repo_, &id, GIT_OBJECT_COMMIT), "tag target");
  git_oid tag;
  if (annotated) {
    git_signature* sig = nullptr;
    Check(git_signature_new(&sig, "Test", "test@example.com", 0, 0), "signature");
    Check(git_tag_create(&tag, repo_, name.c_str(), target, sig, "release", 0), "tag");
    git_signature_free(sig);
  } else {
    Check(git_tag_create_lightweight(&tag, repo_, name.c_str(), target, 0), "tag");
  }
  git_object_free(target);
}

}  // namespace fleetsim::testing_support
