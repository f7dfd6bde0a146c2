#include "sim/argocd/appset_memo.h"

#include <algorithm>

namespace fleetsim {
namespace {

void AddField(std::string& out, std::string_view s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
}

std::string Fingerprint(const Result<Tree>& tree) {
  return tree.ok() ? "tree " + tree->id().hex() : "error " + tree.error();
}

std::string Fingerprint(const Result<std::vector<AppSetCluster>>& clusters) {
  if (!clusters.ok()) return "error " + clusters.error();
  std::string out;
  for (const AppSetCluster& c : *clusters) {
    AddField(out, c.name);
    AddField(out, c.server);
    AddField(out, c.project);
    for (const auto& [k, v] : c.labels) {
      AddField(out, k);
      AddField(out, v);
    }
    out += '|';
    for (const auto& [k, v] : c.annotations) {
      AddField(out, k);
      AddField(out, v);
    }
    out += ';';
  }
  return out;
}

std::string Fingerprint(bool exists) { return exists ? "1" : "0"; }

std::string Fingerprint(const Status& s) { return s.ok() ? "ok" : "error " + s.message(); }

}  // namespace

const RecordingSources::Answer* RecordingSources::Repeat(const SourceCall& question) const {
  if (question.kind == SourceCall::Kind::kGitTree ||
      question.kind == SourceCall::Kind::kGitTreeFor) {
    return nullptr;  // the repo-server's cache
  }
  auto it = served_.find({question.kind, question.a, question.b});
  return it == served_.end() ? nullptr : &entries_[it->second].answer;
}

void RecordingSources::Served(size_t index) {
  const SourceCall& call = entries_[index].call;
  if (call.kind != SourceCall::Kind::kGitTree && call.kind != SourceCall::Kind::kGitTreeFor) {
    served_.try_emplace({call.kind, call.a, call.b}, index);
  }
}

const RecordingSources::Answer* RecordingSources::Replay(const SourceCall& question) {
  if (const Answer* repeat = Repeat(question)) return repeat;
  if (next_ < entries_.size() && entries_[next_].call.SameQuestion(question)) {
    Served(next_);
    return &entries_[next_++].answer;
  }
  entries_.erase(entries_.begin() + static_cast<std::ptrdiff_t>(next_), entries_.end());
  return nullptr;
}

void RecordingSources::Keep(SourceCall call, Answer answer) {
  entries_.push_back({std::move(call), std::move(answer)});
  next_ = entries_.size();
  Served(next_ - 1);
}

Result<Tree> RecordingSources::GitTree(const std::string& repo_url, const std::string& revision,
                                       bool no_cache) {
  SourceCall call{SourceCall::Kind::kGitTree, repo_url, revision, "", no_cache, ""};
  if (const Answer* kept = Replay(call)) return std::get<Result<Tree>>(*kept);
  Result<Tree> tree = inner_.GitTree(repo_url, revision, no_cache);
  call.answer = Fingerprint(tree);
  Keep(std::move(call), tree);
  return tree;
}

Result<Tree> RecordingSources::GitTreeFor(std::string_view appset, const std::string& repo_url,
                                          const std::string& revision, bool no_cache) {
  SourceCall call{SourceCall::Kind::kGitTreeFor, repo_url, revision,
                  std::string(appset),           no_cache, ""};
  if (const Answer* kept = Replay(call)) return std::get<Result<Tree>>(*kept);
  Result<Tree> tree = inner_.GitTreeFor(appset, repo_url, revision, no_cache);
  call.answer = Fingerprint(tree);
  Keep(std::move(call), tree);
  return tree;
}

Result<std::vector<AppSetCluster>> RecordingSources::ClusterSecrets() {
  SourceCall call{SourceCall::Kind::kClusterSecrets, "", "", "", false, ""};
  if (const Answer* kept = Replay(call)) {
    return std::get<Result<std::vector<AppSetCluster>>>(*kept);
  }
  Result<std::vector<AppSetCluster>> clusters = inner_.ClusterSecrets();
  call.answer = Fingerprint(clusters);
  Keep(std::move(call), clusters);
  return clusters;
}

bool RecordingSources::ProjectExists(std::string_view name) {
  SourceCall call{SourceCall::Kind::kProjectExists, std::string(name), "", "", false, ""};
  if (const Answer* kept = Replay(call)) return std::get<bool>(*kept);
  bool exists = inner_.ProjectExists(name);
  call.answer = Fingerprint(exists);
  Keep(std::move(call), exists);
  return exists;
}

Status RecordingSources::ResolveDestination(std::string_view server, std::string_view name) {
  SourceCall call{
      SourceCall::Kind::kResolveDestination, std::string(server), std::string(name), "", false, ""};
  if (const Answer* kept = Replay(call)) return std::get<Status>(*kept);
  Status s = inner_.ResolveDestination(server, name);
  call.answer = Fingerprint(s);
  Keep(std::move(call), s);
  return s;
}

std::string RecordingSources::Ask(const SourceCall& call) {
  switch (call.kind) {
    case SourceCall::Kind::kGitTree:
      return Fingerprint(GitTree(call.a, call.b, call.no_cache));
    case SourceCall::Kind::kGitTreeFor:
      return Fingerprint(GitTreeFor(call.appset, call.a, call.b, call.no_cache));
    case SourceCall::Kind::kClusterSecrets:
      return Fingerprint(ClusterSecrets());
    case SourceCall::Kind::kProjectExists:
      return Fingerprint(ProjectExists(call.a));
    case SourceCall::Kind::kResolveDestination:
      return Fingerprint(ResolveDestination(call.a, call.b));
  }
  return "";
}

std::vector<SourceCall> RecordingSources::Calls() const {
  std::vector<SourceCall> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) out.push_back(e.call);
  return out;
}

void AppSetMemo::Generation::Index() {
  valid.clear();
  names.clear();
  for (size_t i = 0; i < generated.apps.size(); ++i) {
    const Json& app = generated.apps[i];
    std::string name;
    if (auto meta = app.find("metadata"); meta != app.end() && meta->is_object()) {
      if (auto n = meta->find("name"); n != meta->end() && n->is_string()) {
        name = n->get<std::string>();
      }
    }
    names.insert(name);
    if (validation.invalid.count(name) == 0) valid.emplace_back(std::move(name), i);
  }
  std::stable_sort(valid.begin(), valid.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
}

const AppSetMemo::Generation* AppSetMemo::Lookup(const std::string& spec_text,
                                                 RecordingSources& sources) {
  if (valid_ && spec_text == spec_text_) {
    // A generation would ask exactly these questions as long as every answer so far is the
    // same: it is a pure function of them.
    bool same = true;
    for (const SourceCall& call : calls_) {
      if (sources.Ask(call) != call.answer) {
        same = false;
        break;
      }
    }
    if (same) return &generation_;
  }
  Clear();
  sources.Rewind();
  return nullptr;
}

void AppSetMemo::Store(std::string spec_text, std::vector<SourceCall> calls,
                       Generation generation) {
  valid_ = true;
  spec_text_ = std::move(spec_text);
  calls_ = std::move(calls);
  generation_ = std::move(generation);
}

void AppSetMemo::Clear() {
  valid_ = false;
  spec_text_.clear();
  calls_.clear();
  generation_ = {};
}

}  // namespace fleetsim
