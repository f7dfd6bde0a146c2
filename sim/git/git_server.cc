#include "sim/git/git_server.h"

#include "sim/scenario/repo_url.h"

namespace fleetsim {
namespace {

// The text Argo CD shows in a ComparisonError for this case.
Status Unreachable(std::string_view url) {
  return Status::Error("rpc error: code = Unknown desc = failed to list refs: Get \"" +
                       std::string(url) +
                       "/info/refs?service=git-upload-pack\": dial tcp: i/o timeout");
}

}  // namespace

Status RepositoryNotFound(std::string_view url) {
  return Status::Error(
      "rpc error: code = Unknown desc = failed to list refs: repository not found: " +
      std::string(url));
}

void GitServer::AddRepository(const std::string& name, const std::string& url, Repository repo) {
  auto entry = std::make_unique<Entry>(Entry{name, url, std::move(repo)});
  by_name_.emplace(name, entry.get());
  by_url_.emplace(NormalizeRepoUrl(url), entry.get());
  has_last_ = false;
  entries_.push_back(std::move(entry));
}

Result<CommitId> GitServer::Push(const std::string& name, const std::vector<HistoryOp>& ops,
                                 const std::string& message, int64_t unix_time) {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return Status::Error("no repository named " + name);
  Result<CommitId> id = it->second->repo.Commit(ops, message, unix_time);
  if (!id.ok()) return id;
  for (const PushObserver& observer : observers_) observer(name, *id);
  return id;
}

Status GitServer::PushCommit(const std::string& name, CommitInfo commit,
                             const std::vector<std::string>& tags) {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return Status::Error("no repository named " + name);
  const CommitId id = commit.id;
  if (Status s = it->second->repo.AppendCommit(std::move(commit)); !s.ok()) return s;
  for (const std::string& tag : tags) {
    if (Status s = it->second->repo.SetTag(tag, id); !s.ok()) return s;
  }
  for (const PushObserver& observer : observers_) observer(name, id);
  return Status::Ok();
}

GitServer::Entry* GitServer::EntryByUrl(std::string_view url) const {
  if (has_last_ && url == last_url_) return last_entry_;
  std::string scratch;
  auto it = by_url_.find(NormalizeRepoUrl(url, scratch));
  last_url_.assign(url);
  last_entry_ = it == by_url_.end() ? nullptr : it->second;
  has_last_ = true;
  return last_entry_;
}

Result<CommitId> GitServer::LsRemote(std::string_view url, std::string_view revision) {
  const Entry* entry = EntryByUrl(url);
  if (entry == nullptr) return RepositoryNotFound(url);
  return entry->repo.Resolve(revision);
}

Result<const CommitInfo*> GitServer::Fetch(std::string_view url, const CommitId& commit) {
  const Entry* entry = EntryByUrl(url);
  if (entry == nullptr) return RepositoryNotFound(url);
  const CommitInfo* info = entry->repo.Find(commit);
  if (info == nullptr) {
    return Status::Error("rpc error: code = Unknown desc = failed to fetch " + commit.hex() +
                         ": reference is not a tree");
  }
  return info;
}

const Repository* GitServer::FindByName(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &it->second->repo;
}

const Repository* GitServer::FindByUrl(std::string_view url) const {
  const Entry* entry = EntryByUrl(url);
  return entry == nullptr ? nullptr : &entry->repo;
}

std::string GitServer::NameOf(std::string_view url) const {
  const Entry* entry = EntryByUrl(url);
  return entry == nullptr ? std::string() : entry->name;
}

void UnreachableGit::SetUnreachable(const std::string& url, bool unreachable) {
  std::string key = NormalizeRepoUrl(url);
  if (unreachable) {
    down_.insert(key);
  } else if (auto it = down_.find(key); it != down_.end()) {
    down_.erase(it);
  }
}

bool UnreachableGit::IsUnreachable(std::string_view url) const {
  if (down_.empty()) return false;
  std::string scratch;
  return down_.count(NormalizeRepoUrl(url, scratch)) > 0;
}

Result<CommitId> UnreachableGit::LsRemote(std::string_view url, std::string_view revision) {
  if (IsUnreachable(url)) return Unreachable(url);
  return inner_.LsRemote(url, revision);
}

Result<const CommitInfo*> UnreachableGit::Fetch(std::string_view url, const CommitId& commit) {
  if (IsUnreachable(url)) return Unreachable(url);
  return inner_.Fetch(url, commit);
}

}  // namespace fleetsim
