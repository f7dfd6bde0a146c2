#include "sim/git/git_replay.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "sim/git/git_reader.h"

namespace fleetsim {
namespace {

std::string Where(const SourcePos& pos, const RepoSpec& spec) {
  return pos.ToString() + ": repo " + spec.name + ": ";
}

// The first-parent chain from `to` back to `from` (excluded), newest first; with no `from`, back
// to the root, which becomes `from`.
struct Chain {
  ObjectId from;
  std::vector<ObjectId> commits;  // newest first
};

// Fails with an empty message when `from` is not on the chain.
Result<Chain> FirstParentChain(GitReader& reader, const CommitId& to,
                               const std::optional<ObjectId>& from) {
  Chain chain;
  CommitId current = to;
  while (true) {
    if (from && current == *from) {
      chain.from = current;
      return chain;
    }
    Result<std::optional<CommitId>> parent = reader.FirstParent(current);
    if (!parent.ok()) return parent.status();
    if (!parent->has_value()) {
      if (from) return Status::Error("");
      chain.from = current;
      return chain;
    }
    chain.commits.push_back(current);
    current = **parent;
  }
}

class ReplayLoader {
 public:
  explicit ReplayLoader(const RepoSpec& spec) : spec_(spec) {}

  Result<GitReplay> Load() {
    GitReplay out;
    Result<std::unique_ptr<GitReader>> reader = GitReader::Open(spec_.git, out.repository.blobs());
    if (!reader.ok()) return Status::Error(Where(spec_.git_pos, spec_) + reader.error());
    reader_ = std::move(*reader);
    const ReplaySpec replay = spec_.replay.value_or(ReplaySpec{});
    const SourcePos& to_pos = spec_.replay ? replay.to_pos : spec_.git_pos;
    const std::string to_rev = replay.to.empty() ? "HEAD" : replay.to;
    Result<CommitId> to = reader_->ResolveCommit(to_rev);
    if (!to.ok()) return Status::Error(Where(to_pos, spec_) + "replay.to: " + to.error());
    std::optional<ObjectId> from_id;
    if (!spec_.replay) {
      from_id = *to;
    } else if (!replay.from.empty()) {
      Result<CommitId> from = reader_->ResolveCommit(replay.from);
      if (!from.ok()) {
        return Status::Error(Where(replay.from_pos, spec_) + "replay.from: " + from.error());
      }
      from_id = *from;
    }
    Result<Chain> chain = FirstParentChain(*reader_, *to, from_id);
    if (!chain.ok() && !chain.error().empty()) {
      return Status::Error(Where(spec_.git_pos, spec_) + chain.error());
    }
    if (!chain.ok()) {
      return Status::Error(Where(replay.from_pos, spec_) + "replay.from \"" + replay.from + "\" (" +
                           from_id->hex().substr(0, 7) +
                           ") is not on the first-parent history of replay.to \"" + to_rev + "\"");
    }
    if (Status s = Build(*chain, replay, reader_->BranchName(replay.to), out); !s.ok()) return s;
    return out;
  }

 private:
  Result<CommitInfo> Read(const ObjectId& id) {
    Result<CommitInfo> info = reader_->ReadCommit(id);
    if (!info.ok()) return Status::Error(Where(spec_.git_pos, spec_) + info.error());
    return info;
  }

  Status Build(const Chain& chain, const ReplaySpec& replay, const std::string& branch,
               GitReplay& out) {
    std::map<ObjectId, std::vector<std::string>> tags = reader_->TagsByCommit();
    Result<CommitInfo> from = Read(chain.from);
    if (!from.ok()) return from.status();
    const int64_t from_time = from->unix_time;
    (void)out.repository.AppendCommit(std::move(*from));
    out.repository.SetBranchNames(branch.empty() ? std::vector<std::string>{}
                                                 : std::vector<std::string>{branch});
    for (const std::string& tag : tags[chain.from]) (void)out.repository.SetTag(tag, chain.from);
    SimDuration last = SimDuration::Zero();
    for (auto it = chain.commits.rbegin(); it != chain.commits.rend(); ++it) {
      Result<CommitInfo> info = Read(*it);
      if (!info.ok()) return info.status();
      SimDuration at = replay.every ? *replay.every * static_cast<int64_t>(out.commits.size() + 1)
                                    : SimDuration::Seconds(info->unix_time - from_time);
      last = std::max(last, at);
      auto tagged = tags.find(*it);
      out.commits.push_back(
          ReplayedCommit{std::move(*info), last,
                         tagged == tags.end() ? std::vector<std::string>{} : tagged->second});
    }
    return Status::Ok();
  }

  const RepoSpec& spec_;
  std::unique_ptr<GitReader> reader_;
};

}  // namespace

Result<GitReplay> LoadGitReplay(const RepoSpec& spec) { return ReplayLoader(spec).Load(); }

}  // namespace fleetsim
