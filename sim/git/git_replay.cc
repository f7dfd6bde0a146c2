#include "sim/git/git_replay.h"

#include <git2.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
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

// The open repository, shared by the lazy blobs that read from it.
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

// Converts Git trees to fleetsim trees, once per Git tree id.
class TreeImporter {
 public:
  TreeImporter(std::shared_ptr<const OpenRepository> repo, BlobStore& blobs)
      : repo_(std::move(repo)), blobs_(blobs) {}

  Result<Tree> Import(const git_commit* commit) {
    Result<TreeNodePtr> root = ImportTree(git_commit_tree_id(commit));
    if (!root.ok()) return root.status();
    return Tree(std::move(*root));
  }

 private:
  Result<TreeNodePtr> ImportTree(const git_oid* oid) {
    const ObjectId id = ToId(oid);
    if (auto it = nodes_.find(id); it != nodes_.end()) return it->second;
    git_tree* raw = nullptr;
    if (git_tree_lookup(&raw, repo_->get(), oid) != 0) return Status::Error(LastError());
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

  std::shared_ptr<const OpenRepository> repo_;
  BlobStore& blobs_;
  std::map<ObjectId, TreeNodePtr> nodes_;  // by Git tree id
};

std::string Where(const SourcePos& pos, const RepoSpec& spec) {
  return pos.ToString() + ": repo " + spec.name + ": ";
}

// `rev` (as `git rev-parse` reads it) peeled to a commit.
Result<CommitPtr> PeelToCommit(git_repository* repo, const std::string& rev) {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, rev.c_str()) != 0) {
    return Status::Error("unknown revision \"" + rev + "\": " + LastError());
  }
  ObjectPtr object(raw);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) != 0) {
    return Status::Error("revision \"" + rev + "\" does not name a commit");
  }
  return CommitPtr(reinterpret_cast<git_commit*>(peeled));
}

// The branch `to` names, else the one HEAD is on; "" when neither is a branch.
std::string BranchName(git_repository* repo, const std::string& to) {
  auto name_of = [](git_reference* ref) -> std::string {
    std::string shorthand = git_reference_shorthand(ref);
    if (git_reference_is_branch(ref)) return shorthand;
    if (git_reference_is_remote(ref)) return shorthand.substr(shorthand.find('/') + 1);
    return "";
  };
  git_reference* raw = nullptr;
  if (!to.empty() && to != "HEAD" && git_reference_dwim(&raw, repo, to.c_str()) == 0) {
    RefPtr ref(raw);
    if (std::string name = name_of(ref.get()); !name.empty()) return name;
  }
  if (git_repository_head(&raw, repo) != 0) return "";
  RefPtr head(raw);
  return name_of(head.get());
}

// Tag names by the commit they point at (annotated tags peeled), sorted.
std::map<ObjectId, std::vector<std::string>> TagsByCommit(git_repository* repo) {
  struct Walk {
    git_repository* repo;
    std::map<ObjectId, std::vector<std::string>> out;
  } walk{repo, {}};
  git_tag_foreach(
      repo,
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

// The first-parent chain from `to` back to `from` (excluded), newest first; with no `from`, back
// to the root, which becomes `from`.
struct Chain {
  ObjectId from;
  std::vector<ObjectId> commits;  // newest first
};

Result<Chain> FirstParentChain(const git_commit* to, const std::optional<ObjectId>& from) {
  Chain chain;
  git_commit* raw = nullptr;
  if (git_commit_dup(&raw, const_cast<git_commit*>(to)) != 0) return Status::Error(LastError());
  CommitPtr current(raw);
  while (true) {
    const ObjectId id = ToId(git_commit_id(current.get()));
    if (from && id == *from) {
      chain.from = id;
      return chain;
    }
    if (git_commit_parentcount(current.get()) == 0) {
      if (from) return Status::Error("");
      chain.from = id;
      return chain;
    }
    chain.commits.push_back(id);
    if (git_commit_parent(&raw, current.get(), 0) != 0) return Status::Error(LastError());
    current.reset(raw);
  }
}

CommitInfo MakeCommitInfo(const git_commit* commit, Tree tree) {
  CommitInfo info;
  info.id = ToId(git_commit_id(commit));
  if (git_commit_parentcount(commit) > 0) info.parent = ToId(git_commit_parent_id(commit, 0));
  info.tree = std::move(tree);
  info.unix_time = static_cast<int64_t>(git_commit_time(commit));
  const char* message = git_commit_message(commit);
  info.message = message != nullptr ? message : "";
  return info;
}

class ReplayLoader {
 public:
  explicit ReplayLoader(const RepoSpec& spec) : spec_(spec) {}

  Result<GitReplay> Load() {
    git_repository* raw = nullptr;
    if (git_repository_open_ext(&raw, spec_.git.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) !=
        0) {
      return Status::Error(Where(spec_.git_pos, spec_) + "\"" + spec_.git +
                           "\" is not a Git repository: " + LastError());
    }
    repo_ = std::make_shared<const OpenRepository>(RepoPtr(raw));
    const ReplaySpec replay = spec_.replay.value_or(ReplaySpec{});
    const SourcePos& to_pos = spec_.replay ? replay.to_pos : spec_.git_pos;
    const std::string to_rev = replay.to.empty() ? "HEAD" : replay.to;
    Result<CommitPtr> to = PeelToCommit(repo_->get(), to_rev);
    if (!to.ok()) return Status::Error(Where(to_pos, spec_) + "replay.to: " + to.error());
    std::optional<ObjectId> from_id;
    if (!spec_.replay) {
      from_id = ToId(git_commit_id(to->get()));
    } else if (!replay.from.empty()) {
      Result<CommitPtr> from = PeelToCommit(repo_->get(), replay.from);
      if (!from.ok()) {
        return Status::Error(Where(replay.from_pos, spec_) + "replay.from: " + from.error());
      }
      from_id = ToId(git_commit_id(from->get()));
    }
    Result<Chain> chain = FirstParentChain(to->get(), from_id);
    if (!chain.ok()) {
      return Status::Error(Where(replay.from_pos, spec_) + "replay.from \"" + replay.from + "\" (" +
                           from_id->hex().substr(0, 7) +
                           ") is not on the first-parent history of replay.to \"" + to_rev + "\"");
    }
    return Build(*chain, replay, BranchName(repo_->get(), replay.to));
  }

 private:
  Result<CommitPtr> Lookup(const ObjectId& id) {
    git_oid oid = ToOid(id);
    git_commit* raw = nullptr;
    if (git_commit_lookup(&raw, repo_->get(), &oid) != 0) {
      return Status::Error(Where(spec_.git_pos, spec_) + "reading commit " + id.hex() + ": " +
                           LastError());
    }
    return CommitPtr(raw);
  }

  Result<CommitInfo> Read(const ObjectId& id, TreeImporter& importer) {
    Result<CommitPtr> commit = Lookup(id);
    if (!commit.ok()) return commit.status();
    Result<Tree> tree = importer.Import(commit->get());
    if (!tree.ok()) {
      return Status::Error(Where(spec_.git_pos, spec_) + "reading the tree of commit " + id.hex() +
                           ": " + tree.error());
    }
    return MakeCommitInfo(commit->get(), std::move(*tree));
  }

  Result<GitReplay> Build(const Chain& chain, const ReplaySpec& replay, const std::string& branch) {
    GitReplay out;
    TreeImporter importer(repo_, out.repository.blobs());
    std::map<ObjectId, std::vector<std::string>> tags = TagsByCommit(repo_->get());
    Result<CommitInfo> from = Read(chain.from, importer);
    if (!from.ok()) return from.status();
    const int64_t from_time = from->unix_time;
    (void)out.repository.AppendCommit(std::move(*from));
    out.repository.SetBranchNames(branch.empty() ? std::vector<std::string>{}
                                                 : std::vector<std::string>{branch});
    for (const std::string& tag : tags[chain.from]) (void)out.repository.SetTag(tag, chain.from);
    SimDuration last = SimDuration::Zero();
    for (auto it = chain.commits.rbegin(); it != chain.commits.rend(); ++it) {
      Result<CommitInfo> info = Read(*it, importer);
      if (!info.ok()) return info.status();
      SimDuration at = replay.every ? *replay.every * static_cast<int64_t>(out.commits.size() + 1)
                                    : SimDuration::Seconds(info->unix_time - from_time);
      last = std::max(last, at);
      auto tagged = tags.find(*it);
      out.commits.push_back(
          ReplayedCommit{std::move(*info), last,
                         tagged == tags.end() ? std::vector<std::string>{} : tagged->second});
    }
    return out;
  }

  const RepoSpec& spec_;
  LibGit2 lib_;
  std::shared_ptr<const OpenRepository> repo_;
};

}  // namespace

Result<GitReplay> LoadGitReplay(const RepoSpec& spec) { return ReplayLoader(spec).Load(); }

}  // namespace fleetsim
