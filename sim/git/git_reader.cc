#include "sim/git/git_reader.h"

#include <git2.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

namespace fleetsim {
namespace {

// libgit2's global state, held while anything uses the library.
class LibGit2 {
 public:
  LibGit2() { git_libgit2_init(); }
  ~LibGit2() { git_libgit2_shutdown(); }
  LibGit2(const LibGit2&) = delete;
  LibGit2& operator=(const LibGit2&) = delete;
};

template <typename T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
using RepoPtr = std::unique_ptr<git_repository, Freer<git_repository, git_repository_free>>;
using CommitPtr = std::unique_ptr<git_commit, Freer<git_commit, git_commit_free>>;
using ObjectPtr = std::unique_ptr<git_object, Freer<git_object, git_object_free>>;
using TreePtr = std::unique_ptr<git_tree, Freer<git_tree, git_tree_free>>;
using BlobHandle = std::unique_ptr<git_blob, Freer<git_blob, git_blob_free>>;
using RefPtr = std::unique_ptr<git_reference, Freer<git_reference, git_reference_free>>;
using ConfigPtr = std::unique_ptr<git_config, Freer<git_config, git_config_free>>;

std::string LastError() {
  const git_error* e = git_error_last();
  return e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
}

ObjectId ToId(const git_oid* oid) {
  std::array<unsigned char, ObjectId::kRawSize> raw{};
  std::memcpy(raw.data(), oid->id, raw.size());
  return ObjectId(raw);
}

git_oid ToOid(const ObjectId& id) {
  git_oid oid;
  std::memcpy(oid.id, id.raw().data(), ObjectId::kRawSize);
  return oid;
}

// The open repository, shared by the lazy blobs that read from it (they may outlive the reader).
class OpenRepository final : public BlobReader {
 public:
  explicit OpenRepository(RepoPtr repo) : repo_(std::move(repo)) {}
  git_repository* get() const { return repo_.get(); }

  Result<std::string> ReadBlob(const BlobId& id) const override {
    git_oid oid = ToOid(id);
    git_blob* raw = nullptr;
    if (git_blob_lookup(&raw, repo_.get(), &oid) != 0) return Status::Error(LastError());
    BlobHandle blob(raw);
    const char* bytes = static_cast<const char*>(git_blob_rawcontent(blob.get()));
    return std::string(bytes, static_cast<size_t>(git_blob_rawsize(blob.get())));
  }

 private:
  LibGit2 lib_;  // declared first: initialised before, shut down after, the repository
  RepoPtr repo_;
};

}  // namespace

class GitReader::Impl {
 public:
  Impl(std::shared_ptr<const OpenRepository> repo, BlobStore& blobs)
      : repo_(std::move(repo)), blobs_(blobs) {}

  git_repository* git() const { return repo_->get(); }

  Result<CommitPtr> Lookup(const CommitId& id) {
    git_oid oid = ToOid(id);
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, git(), &oid) != 0) {
      return Status::Error("reading commit " + id.hex() + ": " + LastError());
    }
    return CommitPtr(raw);
  }

  Result<TreeNodePtr> ImportTree(const git_oid* oid) {
    const ObjectId id = ToId(oid);
    if (auto it = nodes_.find(id); it != nodes_.end()) return it->second;
    git_tree* raw = nullptr;
    if (git_tree_lookup(&raw, git(), oid) != 0) return Status::Error(LastError());
    TreePtr tree(raw);
    std::vector<TreeEntry> entries;
    for (size_t i = 0; i < git_tree_entrycount(tree.get()); ++i) {
      const git_tree_entry* e = git_tree_entry_byindex(tree.get(), i);
      const std::string name = git_tree_entry_name(e);
      switch (git_tree_entry_filemode(e)) {
        case GIT_FILEMODE_TREE: {
          Result<TreeNodePtr> child = ImportTree(git_tree_entry_id(e));
          if (!child.ok()) return child.status();
          if (!(*child)->empty()) entries.push_back(TreeEntry{name, nullptr, std::move(*child)});
          break;
        }
        case GIT_FILEMODE_BLOB:
        case GIT_FILEMODE_BLOB_EXECUTABLE:
          entries.push_back(
              TreeEntry{name, blobs_.InternLazy(ToId(git_tree_entry_id(e)), repo_), nullptr});
          break;
        default:  // symbolic links and submodules
          break;
      }
    }
    TreeNodePtr node = TreeNode::Make(std::move(entries));
    nodes_.emplace(id, node);
    return node;
  }

 private:
  std::shared_ptr<const OpenRepository> repo_;
  BlobStore& blobs_;
  std::map<ObjectId, TreeNodePtr> nodes_;  // by Git tree id
};

GitReader::GitReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GitReader::~GitReader() = default;

Result<std::unique_ptr<GitReader>> GitReader::Open(const std::string& path, BlobStore& blobs) {
  LibGit2 lib;  // keeps the library initialised until the repository holds it
  git_repository* raw = nullptr;
  if (git_repository_open_ext(&raw, path.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
    return Status::Error("\"" + path + "\" is not a Git repository: " + LastError());
  }
  auto repo = std::make_shared<const OpenRepository>(RepoPtr(raw));
  return std::unique_ptr<GitReader>(new GitReader(std::make_unique<Impl>(std::move(repo), blobs)));
}

Result<CommitId> GitReader::ResolveCommit(const std::string& rev) {
  if (rev.empty()) return Status::Error("unknown revision \"\": no revision given");
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, impl_->git(), rev.c_str()) != 0) {
    return Status::Error("unknown revision \"" + rev + "\": " + LastError());
  }
  ObjectPtr object(raw);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) != 0) {
    return Status::Error("revision \"" + rev + "\" does not name a commit");
  }
  ObjectPtr commit(peeled);
  return ToId(git_object_id(commit.get()));
}

Result<CommitInfo> GitReader::ReadCommit(const CommitId& id) {
  Result<CommitPtr> commit = impl_->Lookup(id);
  if (!commit.ok()) return commit.status();
  Result<TreeNodePtr> root = impl_->ImportTree(git_commit_tree_id(commit->get()));
  if (!root.ok()) {
    return Status::Error("reading the tree of commit " + id.hex() + ": " + root.error());
  }
  CommitInfo info;
  info.id = id;
  if (git_commit_parentcount(commit->get()) > 0) {
    info.parent = ToId(git_commit_parent_id(commit->get(), 0));
  }
  info.tree = Tree(std::move(*root));
  info.unix_time = static_cast<int64_t>(git_commit_time(commit->get()));
  const char* message = git_commit_message(commit->get());
  info.message = message != nullptr ? message : "";
  return info;
}

Result<std::optional<CommitId>> GitReader::FirstParent(const CommitId& id) {
  Result<CommitPtr> commit = impl_->Lookup(id);
  if (!commit.ok()) return commit.status();
  if (git_commit_parentcount(commit->get()) == 0) return std::optional<CommitId>();
  return std::optional<CommitId>(ToId(git_commit_parent_id(commit->get(), 0)));
}

namespace {

std::string BranchOf(git_reference* ref) {
  std::string shorthand = git_reference_shorthand(ref);
  if (git_reference_is_branch(ref)) return shorthand;
  if (git_reference_is_remote(ref)) return shorthand.substr(shorthand.find('/') + 1);
  return "";
}

}  // namespace

std::string GitReader::BranchName(const std::string& rev) {
  git_reference* raw = nullptr;
  if (!rev.empty() && rev != "HEAD" && git_reference_dwim(&raw, impl_->git(), rev.c_str()) == 0) {
    RefPtr ref(raw);
    if (std::string name = BranchOf(ref.get()); !name.empty()) return name;
  }
  if (git_repository_head(&raw, impl_->git()) != 0) return "";
  RefPtr head(raw);
  return BranchOf(head.get());
}

bool GitReader::IsBranch(const std::string& name) {
  git_reference* raw = nullptr;
  for (git_branch_t type : {GIT_BRANCH_LOCAL, GIT_BRANCH_REMOTE}) {
    if (git_branch_lookup(&raw, impl_->git(), name.c_str(), type) == 0) {
      RefPtr ref(raw);
      return true;
    }
  }
  return false;
}

std::map<CommitId, std::vector<std::string>> GitReader::TagsByCommit() {
  struct Walk {
    git_repository* repo;
    std::map<ObjectId, std::vector<std::string>> out;
  } walk{impl_->git(), {}};
  git_tag_foreach(
      impl_->git(),
      [](const char* name, git_oid* oid, void* payload) -> int {
        auto* w = static_cast<Walk*>(payload);
        git_object* raw = nullptr;
        if (git_object_lookup(&raw, w->repo, oid, GIT_OBJECT_ANY) != 0) return 0;
        ObjectPtr object(raw);
        git_object* peeled = nullptr;
        if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) != 0) return 0;
        ObjectPtr commit(peeled);
        std::string tag = name;
        if (tag.starts_with("refs/tags/")) tag.erase(0, std::string_view("refs/tags/").size());
        w->out[ToId(git_object_id(commit.get()))].push_back(tag);
        return 0;
      },
      &walk);
  for (auto& [id, names] : walk.out) std::sort(names.begin(), names.end());
  return walk.out;
}

// Read from the configuration rather than through git_remote_lookup, whose regular expressions
// leak in libgit2 1.5.
std::string GitReader::RemoteUrl(const std::string& name) {
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, impl_->git()) != 0) return "";
  ConfigPtr config(raw);
  const char* url = nullptr;
  if (git_config_get_string(&url, config.get(), ("remote." + name + ".url").c_str()) != 0) {
    return "";
  }
  return url != nullptr ? url : "";
}

}  // namespace fleetsim
