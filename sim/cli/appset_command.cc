// fleetsim appset generate: ApplicationSets rendered offline against directories and a fleet file.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>

#include "sim/argocd/appset_generate.h"
#include "sim/cli/commands.h"
#include "sim/cli/offline_sources.h"
#include "sim/git/git_reader.h"
#include "sim/git/git_snapshot.h"
#include "sim/manifest/yaml_to_json.h"

namespace fleetsim {
namespace {

// A JSON value as a YAML node; strings that would read back as something else are quoted.

void Emit(YAML::Emitter& e, const Json& v) {
  if (v.is_object()) {
    e << YAML::BeginMap;
    for (const auto& [k, child] : v.items()) {
      e << YAML::Key << k << YAML::Value;
      Emit(e, child);
    }
    e << YAML::EndMap;
  } else if (v.is_array()) {
    e << YAML::BeginSeq;
    for (const Json& child : v) Emit(e, child);
    e << YAML::EndSeq;
  } else if (v.is_string()) {
    const std::string s = v.get<std::string>();
    Result<std::vector<Json>> back = YamlToJson("v: " + s);
    bool plain = !s.empty() && back.ok() && !back->empty() && (*back)[0].contains("v") &&
                 (*back)[0]["v"] == v;
    if (plain) {
      e << s;
    } else {
      e << YAML::DoubleQuoted << s;
    }
  } else if (v.is_null()) {
    e << YAML::Null;
  } else {
    e << v.dump();
  }
}

// --git REPO[@REV]: the revision (default HEAD) of a real repository every generator reads.
struct GitSource {
  BlobStore blobs;
  std::unique_ptr<GitReader> reader;
  std::optional<GitSnapshot> snapshot;
};

Status OpenGitSource(const std::string& spec, GitSource& out) {
  std::string path = spec;
  std::string rev = "HEAD";
  size_t at = spec.rfind('@');
  std::error_code ec;
  if (at != std::string::npos && at > 0 && !std::filesystem::is_directory(spec, ec)) {
    path = spec.substr(0, at);
    rev = spec.substr(at + 1);
  }
  Result<std::unique_ptr<GitReader>> reader = GitReader::Open(path, out.blobs);
  if (!reader.ok()) return Status::Error("--git " + spec + ": " + reader.error());
  out.reader = std::move(*reader);
  Result<CommitId> tip = out.reader->ResolveCommit(rev);
  if (!tip.ok()) return Status::Error("--git " + spec + ": " + tip.error());
  out.snapshot.emplace(*out.reader, *tip, out.reader->BranchName(rev),
                       out.reader->RemoteUrl("origin"));
  return Status::Ok();
}

}  // namespace

int AppSetGenerateCommand(const AppSetGenerateOptions& options, std::ostream& out,
                          std::ostream& err) {
  if (options.output != "yaml" && options.output != "json") {
    err << "-o: unknown output format \"" << options.output << "\" (yaml or json)\n";
    return kExitBadInput;
  }
  if (options.repos.empty() == options.git.empty()) {
    err << "appset generate: give either --repo or --git\n";
    return kExitBadInput;
  }
  Result<std::string> text = ReadTextFile(options.appset_file);
  if (!text.ok()) {
    err << text.error() << "\n";
    return kExitBadInput;
  }
  Result<std::vector<Json>> docs = YamlToJson(*text);
  if (!docs.ok()) {
    err << YamlFileError(options.appset_file, docs.error()) << "\n";
    return kExitBadInput;
  }
  OfflineSources sources;
  for (const std::string& repo : options.repos) {
    if (Status s = sources.AddRepo(repo); !s.ok()) {
      err << s.message() << "\n";
      return kExitBadInput;
    }
  }
  GitSource git;
  if (!options.git.empty()) {
    if (Status s = OpenGitSource(options.git, git); !s.ok()) {
      err << s.message() << "\n";
      return kExitBadInput;
    }
    sources.SetGit(&*git.snapshot);
  }
  Result<std::vector<AppSetCluster>> clusters = LoadFleetFile(options.clusters_file);
  if (!clusters.ok()) {
    err << clusters.error() << "\n";
    return kExitBadInput;
  }
  sources.SetClusters(std::move(clusters).value());
  Json apps = Json::array();
  bool found = false;
  for (const Json& doc : *docs) {
    if (!doc.is_object() || doc.value("kind", "") != "ApplicationSet") continue;
    found = true;
    Result<AppSetSpec> spec = ParseAppSetSpec(doc);
    if (!spec.ok()) {
      err << options.appset_file << ": error validating ApplicationSets: " << spec.error() << "\n";
      return kExitBadInput;
    }
    GeneratedApps generated = GenerateApplications(*spec, sources);
    if (!generated.errors.empty()) {
      err << "unable to generate Applications of ApplicationSet: error generating applications: "
          << generated.errors.front().message << "\n";
      return kExitBadInput;
    }
    for (Json& app : generated.apps) apps.push_back(std::move(app));
  }
  if (!found) {
    err << options.appset_file << ":1:1: no ApplicationSet in the file\n";
    return kExitBadInput;
  }
  if (options.output == "json") {
    out << apps.dump(2) << "\n";
    return kExitOk;
  }
  for (const Json& app : apps) {
    YAML::Emitter e;
    Emit(e, app);
    out << "---\n" << e.c_str() << "\n";
  }
  return kExitOk;
}

}  // namespace fleetsim
