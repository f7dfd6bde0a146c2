#include "sim/git/repository.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <utility>

#include "sim/git/history_ops.h"
#include "sim/git/tree_loader.h"

namespace fleetsim {
namespace {

constexpr std::string_view kSignature = "fleetsim <fleetsim@localhost>";
constexpr size_t kMinPrefix = 7;

std::string_view TrimTrailingNewlines(std::string_view s) {
  while (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  return s;
}

bool IsHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool NamesBranch(std::string_view rev, const std::vector<std::string>& names) {
  if (rev.empty() || rev == "HEAD") return true;
  if (rev.starts_with("refs/heads/")) rev.remove_prefix(std::string_view("refs/heads/").size());
  return std::find(names.begin(), names.end(), rev) != names.end();
}

Status Unresolved(std::string_view rev, std::string_view why = "") {
  return Status::Error("unable to resolve '" + std::string(rev) + "' to a commit SHA" +
                       std::string(why));
}

std::string Prefix(const SourcePos& pos) {
  if (pos.file.empty()) return "";
  return pos.file + ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column) + ": ";
}

}  // namespace

std::string CommitObjectText(const TreeId& tree, const std::optional<CommitId>& parent,
                             int64_t unix_time, std::string_view message) {
  const std::string when = std::to_string(unix_time) + " +0000\n";
  std::string text = "tree " + tree.hex() + "\n";
  if (parent) text += "parent " + parent->hex() + "\n";
  text += "author " + std::string(kSignature) + " " + when;
  text += "committer " + std::string(kSignature) + " " + when;
  text += "\n";
  text += TrimTrailingNewlines(message);
  text += "\n";
  return text;
}

Result<Repository> Repository::FromDirectory(const std::string& dir, int64_t unix_time) {
  Repository repo;
  Result<Tree> tree = LoadTreeFromDirectory(dir, repo.blobs_);
  if (!tree.ok()) return tree.status();
  repo.CommitTree(std::move(*tree), "initial tree", unix_time);
  return repo;
}

Result<CommitId> Repository::Commit(const std::vector<HistoryOp>& ops, const std::string& message,
                                    int64_t unix_time) {
  Tree tree = empty() ? Tree() : head().tree;
  for (const HistoryOp& op : ops) {
    Result<Tree> next = ApplyHistoryOp(tree, op, blobs_);
    if (!next.ok()) return Status::Error(Prefix(op.pos) + next.error());
    tree = std::move(*next);
  }
  return CommitTree(std::move(tree), message, unix_time);
}

CommitId Repository::CommitTree(Tree tree, const std::string& message, int64_t unix_time) {
  std::optional<CommitId> parent;
  if (!empty()) parent = head().id;
  const CommitId id =
      HashObject(ObjectType::kCommit, CommitObjectText(tree.id(), parent, unix_time, message));
  commits_.push_back(CommitInfo{id, parent, std::move(tree), unix_time,
                                std::string(TrimTrailingNewlines(message))});
  index_[id] = commits_.size() - 1;
  by_hex_[id.hex()] = commits_.size() - 1;
  return id;
}

Status Repository::AppendCommit(CommitInfo commit) {
  if (!empty() && (commit.parent != head().id || index_.count(commit.id) > 0)) {
    return Status::Error("commit " + commit.id.hex() + " does not follow the head of the branch");
  }
  commit.message = std::string(TrimTrailingNewlines(commit.message));
  commits_.push_back(std::move(commit));
  index_[commits_.back().id] = commits_.size() - 1;
  by_hex_[commits_.back().id.hex()] = commits_.size() - 1;
  return Status::Ok();
}

Status Repository::SetTag(const std::string& name, const CommitId& target) {
  const bool bad_char =
      std::any_of(name.begin(), name.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
  if (name.empty() || name == "HEAD" || bad_char) {
    return Status::Error("invalid tag name '" + name + "'");
  }
  if (Find(target) == nullptr) {
    return Status::Error("tag '" + name + "': no commit " + target.hex() + " in this repository");
  }
  tags_[name] = target;
  return Status::Ok();
}

Result<CommitId> Repository::Resolve(std::string_view rev) const {
  if (empty()) return Unresolved(rev);
  if (rev.size() == ObjectId::kHexSize && IsHex(rev)) {
    const std::optional<CommitId> id = ObjectId::FromHex(rev);
    if (id && Find(*id) != nullptr) return *id;
    return Unresolved(rev);
  }
  if (NamesBranch(rev, branch_names_)) return head().id;
  std::string_view tag = rev;
  if (tag.rfind("refs/tags/", 0) == 0) tag.remove_prefix(std::string_view("refs/tags/").size());
  if (auto it = tags_.find(std::string(tag)); it != tags_.end()) return it->second;
  if (rev.size() < kMinPrefix || !IsHex(rev)) return Unresolved(rev);
  const std::string prefix = Lower(rev);
  auto it = by_hex_.lower_bound(prefix);
  if (it == by_hex_.end() || it->first.compare(0, prefix.size(), prefix) != 0) {
    return Unresolved(rev);
  }
  auto next = std::next(it);
  if (next != by_hex_.end() && next->first.compare(0, prefix.size(), prefix) == 0) {
    return Unresolved(rev, ": the short id is ambiguous");
  }
  return commits_[it->second].id;
}

const CommitInfo* Repository::Find(const CommitId& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &commits_[it->second];
}

Result<TreeDiff> Repository::Diff(const CommitId& from, const CommitId& to) const {
  const CommitInfo* a = Find(from);
  const CommitInfo* b = Find(to);
  if (a == nullptr || b == nullptr) {
    return Status::Error("no commit " + (a == nullptr ? from : to).hex() + " in this repository");
  }
  return DiffTrees(a->tree, b->tree);
}

}  // namespace fleetsim
