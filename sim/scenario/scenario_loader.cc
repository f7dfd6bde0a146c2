#include "sim/scenario/scenario_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "sim/scenario/load_sections.h"
#include "sim/scenario/name_rules.h"
#include "sim/scenario/overrides.h"
#include "sim/scenario/rfc3339.h"
#include "sim/scenario/yaml_reader.h"

namespace fleetsim {
namespace {

const std::vector<std::string_view> kTopLevelKeys = {
    "name",      "description", "seed",   "start",   "duration", "fleet",        "argocd", "repos",
    "bootstrap", "history",     "faults", "actions", "traffic",  "secretStores", "expect"};

constexpr SimDuration kMaxDuration = SimDuration::Days(366);

Status CannotRead(const std::string& path, std::error_code error) {
  return Status::Error(path + ": cannot read file: " + error.message());
}

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return CannotRead(path, std::make_error_code(std::errc::is_a_directory));
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return CannotRead(path, std::error_code(errno, std::generic_category()));
  std::string text;
  char buffer[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  std::error_code error;
  if (std::ferror(file) != 0) error = std::error_code(errno, std::generic_category());
  std::fclose(file);
  if (error) return CannotRead(path, error);
  return text;
}

std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  if (ec) absolute = path;
  return absolute.lexically_normal().string();
}

void ReadStart(const YamlNode& node, Scenario* s) {
  if (!node.present()) return;
  std::string text = node.AsString();
  if (!node.ok()) return;
  Result<int64_t> unix_seconds = ParseRfc3339(text);
  if (!unix_seconds.ok()) return node.Fail(unix_seconds.error());
  s->start_unix_seconds = *unix_seconds;
  s->start_text = FormatRfc3339Utc(*unix_seconds);
}

void ReadDuration(const YamlNode& node, Scenario* s) {
  if (!node.present()) return;
  s->duration = node.AsDuration();
  if (!node.ok()) return;
  if (s->duration <= SimDuration::Zero()) node.Fail("duration must be greater than 0");
  if (s->duration > kMaxDuration) node.Fail("duration must be at most 366d");
}

// The header fields: name, description, seed, start, duration.
void ReadHeader(const YamlNode& root, Scenario* s) {
  YamlNode name = root.Require("name");
  s->name = name.AsString();
  if (root.ok() && !IsDnsLabel(s->name)) {
    name.Fail("name \"" + s->name +
              "\" is not a valid DNS-1123 label: lowercase letters, digits and '-', starting and "
              "ending with a letter or digit, at most 63 characters");
  }
  s->description = root.String("description");
  if (root.Has("seed")) s->seed = root.Get("seed").AsUint64();
  ReadStart(root.Get("start"), s);
  ReadDuration(root.Get("duration"), s);
}

std::string DirectoryOf(const std::string& file) {
  return std::filesystem::path(file).parent_path().string();
}

LoadScope MakeScope(const Scenario& s) {
  LoadScope scope;
  scope.dir = DirectoryOf(s.file);
  scope.duration = s.duration;
  scope.clusters.push_back("in-cluster");
  for (const ClusterSpec& cluster : s.fleet.clusters) scope.clusters.push_back(cluster.name);
  std::sort(scope.clusters.begin(), scope.clusters.end());
  for (const RepoSpec& repo : s.repos) scope.repo_trees[repo.name] = repo.tree;
  return scope;
}

// Reads the sections in dependency order, stopping at the first error.
Scenario ReadScenario(const YamlNode& root, const std::string& path) {
  Scenario s;
  s.file = AbsolutePath(path);
  if (!root.CheckKeys(kTopLevelKeys)) return s;
  ReadHeader(root, &s);
  if (root.ok()) s.fleet = LoadFleet(root.Get("fleet"));
  if (root.ok()) s.argocd = LoadArgoCd(root.Get("argocd"));
  if (root.ok()) s.repos = LoadRepos(root.Get("repos"), DirectoryOf(s.file));
  if (!root.ok()) return s;
  const LoadScope scope = MakeScope(s);
  s.bootstrap = LoadBootstrap(root.Get("bootstrap"), scope);
  if (root.ok()) s.history = LoadHistory(root.Get("history"), scope);
  if (root.ok()) LoadFaults(root.Get("faults"), scope, &s.faults, &s.random_faults);
  if (root.ok()) s.actions = LoadActions(root.Get("actions"), scope);
  if (root.ok()) s.traffic = LoadTraffic(root.Get("traffic"));
  if (root.ok()) s.secret_stores = LoadSecretStores(root.Get("secretStores"));
  if (root.ok()) s.expectations = LoadExpect(root.Get("expect"));
  return s;
}

// The document's root map, or an error: empty file, several documents, not a map.
Result<YAML::Node> ParseDocument(const std::string& path, std::string_view text, ReadContext* ctx) {
  std::vector<YAML::Node> documents = YAML::LoadAll(std::string(text));
  if (documents.empty() || documents[0].IsNull()) {
    return Status::Error(path + ":1:1: empty scenario file; expected a map with at least name");
  }
  for (size_t i = 1; i < documents.size(); ++i) {
    if (!documents[i].IsNull()) {
      return Status::Error(ctx->PosOf(documents[i]).ToString() +
                           ": a scenario file holds one YAML document; remove this second one");
    }
  }
  YamlNode root(ctx, documents[0]);
  if (!root.IsMap()) {
    return Status::Error(root.pos().ToString() + ": expected a map at the top level, found " +
                         root.Describe());
  }
  return documents[0];
}

Result<Scenario> Load(const std::string& path, std::string_view text,
                      const std::vector<std::string>& overrides) {
  ReadContext ctx(path);
  Result<YAML::Node> document = ParseDocument(path, text, &ctx);
  if (!document.ok()) return document.status();
  CheckStructure(&ctx, *document);
  if (!ctx.ok()) return ctx.status();
  if (Status s = ApplyOverrides(*document, overrides, &ctx); !s.ok()) return s;
  Scenario scenario = ReadScenario(YamlNode(&ctx, *document), path);
  if (!ctx.ok()) return ctx.status();
  return scenario;
}

}  // namespace

Result<Scenario> LoadScenarioText(const std::string& path, std::string_view text,
                                  const std::vector<std::string>& overrides) {
  try {
    return Load(path, text, overrides);
  } catch (const YAML::Exception& e) {
    return Status::Error(ReadContext(path).PosOf(e.mark).ToString() + ": " + e.msg);
  } catch (const std::exception& e) {
    return Status::Error(path + ": " + e.what());
  }
}

Result<Scenario> LoadScenario(const std::string& path, const std::vector<std::string>& overrides) {
  Result<std::string> text = ReadFile(path);
  if (!text.ok()) return text.status();
  return LoadScenarioText(path, *text, overrides);
}

}  // namespace fleetsim
