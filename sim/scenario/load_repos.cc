// repos (name -> url and tree or git) and bootstrap (kubectl apply at t=0).
#include <filesystem>
#include <optional>
#include <system_error>

#include "sim/scenario/load_sections.h"
#include "sim/scenario/name_rules.h"
#include "sim/scenario/repo_url.h"

namespace fleetsim {
namespace {

namespace fs = std::filesystem;

bool IsRepoName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// The directory `node` names, relative to the scenario's directory, as an absolute path.
std::string ReadDirectory(const YamlNode& node, const std::string& dir) {
  std::string written = ReadNonEmpty(node);
  if (!node.ok()) return "";
  fs::path path = (fs::path(dir) / written).lexically_normal();
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) {
    node.Fail(node.name() + " directory \"" + written + "\" does not exist");
  } else if (!fs::is_directory(status)) {
    node.Fail(node.name() + " \"" + written + "\" is not a directory");
  }
  return path.string();
}

std::optional<ReplaySpec> ReadReplay(const YamlNode& node, const RepoSpec& repo) {
  if (!node.present()) return std::nullopt;
  if (repo.git.empty()) {
    node.Fail("replay needs a Git repository (git:), not a tree");
    return std::nullopt;
  }
  ReplaySpec replay;
  if (!node.CheckKeys({"from", "to", "every"})) return replay;
  replay.from = node.String("from");
  replay.to = node.String("to");
  replay.from_pos = node.Has("from") ? node.Get("from").pos() : node.pos();
  replay.to_pos = node.Has("to") ? node.Get("to").pos() : node.pos();
  YamlNode every = node.Get("every");
  if (every.present()) {
    replay.every = every.AsDuration();
    if (node.ok() && *replay.every <= SimDuration::Zero()) {
      every.Fail("every must be greater than 0");
    }
  }
  return replay;
}

// Normalised repository URLs already declared, with the repo that declared each.
using UrlRegistry = std::map<std::string, std::pair<std::string, SourcePos>>;

void ReadUrl(const YamlNode& node, UrlRegistry* urls, RepoSpec* repo) {
  YamlNode url = node.Require("url");
  repo->url = ReadNonEmpty(url);
  if (!node.ok()) return;
  auto [it, inserted] =
      urls->emplace(NormalizeRepoUrl(repo->url), std::make_pair(repo->name, url.pos()));
  if (!inserted) {
    url.Fail("url \"" + repo->url + "\" names the same repository as repo \"" + it->second.first +
             "\" (" + it->second.second.ToString() + ")");
  }
}

// Exactly one of tree and git.
void ReadSource(const YamlNode& node, const std::string& dir, RepoSpec* repo) {
  YamlNode tree = node.Get("tree");
  YamlNode git = node.Get("git");
  if (tree.present() && git.present()) {
    return git.Fail("repo \"" + repo->name + "\" has both tree and git; give one");
  }
  if (!tree.present() && !git.present()) {
    return node.Fail("repo \"" + repo->name +
                     "\" needs tree (a directory) or git (a Git repository)");
  }
  if (tree.present()) repo->tree = ReadDirectory(tree, dir);
  if (git.present()) {
    repo->git = ReadDirectory(git, dir);
    repo->git_pos = git.pos();
  }
}

RepoSpec ReadRepo(const MapEntry& entry, const std::string& dir, UrlRegistry* urls) {
  RepoSpec repo;
  repo.name = entry.key;
  repo.pos = entry.value.pos();
  const YamlNode& node = entry.value;
  if (!IsRepoName(repo.name)) {
    entry.key_node.Fail("repo name \"" + repo.name +
                        "\" may hold only letters, digits, '-', '_' and '.'");
    return repo;
  }
  if (!node.ExpectMap() || !node.CheckKeys({"url", "tree", "git", "replay", "webhook"})) {
    return repo;
  }
  ReadUrl(node, urls, &repo);
  if (node.ok()) ReadSource(node, dir, &repo);
  if (node.ok()) repo.replay = ReadReplay(node.Get("replay"), repo);
  repo.webhook = node.Bool("webhook", false);
  return repo;
}

}  // namespace

std::vector<RepoSpec> LoadRepos(const YamlNode& node, const std::string& dir) {
  std::vector<RepoSpec> repos;
  UrlRegistry urls;
  for (const MapEntry& entry : node.Entries()) {
    repos.push_back(ReadRepo(entry, dir, &urls));
    if (!node.ok()) break;
  }
  std::sort(repos.begin(), repos.end(),
            [](const RepoSpec& a, const RepoSpec& b) { return a.name < b.name; });
  return repos;
}

std::vector<BootstrapEntry> LoadBootstrap(const YamlNode& node, const LoadScope& scope) {
  std::vector<BootstrapEntry> entries;
  for (const YamlNode& item : node.Items()) {
    if (!item.ExpectMap() || !item.CheckKeys({"repo", "path", "cluster"})) break;
    BootstrapEntry entry;
    entry.pos = item.pos();
    entry.repo = ReadRepoRef(item.Require("repo"), scope);
    YamlNode path = item.Require("path");
    entry.path = ReadRepoPath(path);
    if (item.ok()) CheckPathInTree(path, entry.repo, scope);
    YamlNode cluster = item.Get("cluster");
    if (cluster.present()) entry.cluster = ReadClusterRef(cluster, scope, /*allow_glob=*/false);
    if (!item.ok()) break;
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace fleetsim
