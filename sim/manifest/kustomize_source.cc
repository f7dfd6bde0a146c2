#include "sim/manifest/kustomize_source.h"

#include <algorithm>
#include <set>

#include <yaml-cpp/yaml.h>

#include "sim/manifest/directory_source.h"

namespace fleetsim {
namespace {

constexpr std::string_view kWorkspaceAlias = "<path to cached source>";

// Kustomization fields whose values never name files.
const std::set<std::string, std::less<>> kNotPaths = {
    "apiVersion",    "kind",         "metadata",
    "namePrefix",    "nameSuffix",   "namespace",
    "commonLabels",  "labels",       "commonAnnotations",
    "images",        "replicas",     "vars",
    "target",        "literals",     "options",
    "buildMetadata", "sortOptions",  "name",
    "behavior",      "type",         "patch",
    "select",        "reject",       "fieldPaths",
    "fieldPath",     "valuesInline", "releaseName",
    "version",       "repo"};
// Fields listing other kustomizations (or remote ones).
const std::set<std::string, std::less<>> kKustomizationRefs = {"resources", "bases", "components"};
// Fields naming plugin configuration files, whose own fields may name more files.
const std::set<std::string, std::less<>> kConfigFiles = {"generators", "transformers",
                                                         "validators"};

std::string JoinPath(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir + "/" + name;
}

}  // namespace

std::optional<std::string> ResolveRepoPath(const std::string& dir, std::string_view ref) {
  if (ref.empty() || ref.starts_with('/')) return std::nullopt;
  std::vector<std::string> parts;
  std::string joined = JoinPath(dir, std::string(ref));
  for (size_t start = 0; start <= joined.size();) {
    size_t end = joined.find('/', start);
    if (end == std::string::npos) end = joined.size();
    std::string part = joined.substr(start, end - start);
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(std::move(part));
    }
    start = end + 1;
  }
  std::string clean;
  for (const std::string& part : parts) clean = JoinPath(clean, part);
  return clean;
}

namespace {

// kustomize fetches these over the network; fleetsim never does.
bool IsRemote(std::string_view ref) {
  for (std::string_view prefix : {"git@", "git::", "gh:", "github.com/", "gitlab.com/",
                                  "bitbucket.org/", "ssh:", "https:", "http:", "file:"}) {
    if (ref.starts_with(prefix)) return true;
  }
  // Any other host: kustomize clones what looks like a repository (".git", "?ref=", "//" subdir).
  return ref.find("://") != std::string_view::npos || ref.find(".git") != std::string_view::npos ||
         ref.find("?ref=") != std::string_view::npos || ref.find("//") != std::string_view::npos;
}

std::vector<std::string> KustomizationFiles(const Tree& tree, const std::string& dir) {
  std::vector<std::string> out;
  for (std::string_view name : kKustomizationNames) {
    std::string path = JoinPath(dir, std::string(name));
    if (tree.Kind(path) == PathKind::kFile) out.push_back(std::move(path));
  }
  return out;
}

// Follows a kustomization's references through the tree.
class InputCollector {
 public:
  explicit InputCollector(const Tree& tree) : tree_(tree) {}

  Status VisitKustomization(const std::string& dir) {
    if (!visited_.insert(dir).second) return Status::Ok();
    for (const std::string& file : KustomizationFiles(tree_, dir)) {
      if (Status s = VisitYaml(file, dir); !s.ok()) return s;
    }
    return Status::Ok();
  }

  std::map<std::string, const Blob*> Take() { return std::move(files_); }

 private:
  // Adds the file and scans its fields for paths relative to `base` (its kustomization's dir).
  Status VisitYaml(const std::string& file, const std::string& base) {
    const Blob* blob = tree_.FindFile(file);
    files_[file] = blob;
    std::vector<YAML::Node> docs;
    try {
      docs = YAML::LoadAll(blob->content());
    } catch (const YAML::Exception&) {
      return Status::Ok();  // kustomize reports it
    }
    for (const YAML::Node& doc : docs) {
      if (Status s = Scan(doc, base, ""); !s.ok()) return s;
    }
    return Status::Ok();
  }

  Status Scan(const YAML::Node& node, const std::string& base, const std::string& key) {
    if (node.IsMap()) {
      for (const auto& kv : node) {
        const std::string k = kv.first.IsScalar() ? kv.first.Scalar() : "";
        if (kNotPaths.count(k) > 0) continue;
        if (Status s = Scan(kv.second, base, k); !s.ok()) return s;
      }
    } else if (node.IsSequence()) {
      for (const YAML::Node& item : node) {
        if (Status s = Scan(item, base, key); !s.ok()) return s;
      }
    } else if (node.IsScalar()) {
      return Reference(node.Scalar(), base, key);
    }
    return Status::Ok();
  }

  Status Reference(const std::string& ref, const std::string& base, const std::string& key) {
    if (ref.find('\n') != std::string::npos) return Status::Ok();
    std::vector<std::string> candidates = {ref};
    // Generator entries: "key=path" (files), and env files.
    if (size_t eq = ref.find('='); eq != std::string::npos)
      candidates.push_back(ref.substr(eq + 1));
    bool found = false;
    for (const std::string& candidate : candidates) {
      std::optional<std::string> path = ResolveRepoPath(base, candidate);
      if (!path) continue;
      switch (tree_.Kind(*path)) {
        case PathKind::kFile:
          found = true;
          if (kConfigFiles.count(key) > 0 && files_.count(*path) == 0) {
            if (Status s = VisitYaml(*path, base); !s.ok()) return s;
          } else {
            files_[*path] = tree_.FindFile(*path);
          }
          break;
        case PathKind::kDirectory:
          found = true;
          if (!KustomizationFiles(tree_, *path).empty()) {
            if (Status s = VisitKustomization(*path); !s.ok()) return s;
          } else if (key == "chartHome") {
            tree_.Walk(*path, [&](const std::string& p, const Blob& b) { files_[p] = &b; });
          }
          break;
        case PathKind::kMissing:
          break;
      }
    }
    if (!found && kKustomizationRefs.count(key) > 0 && IsRemote(ref)) {
      return Status::Error("accumulating resources: remote resource " + ref +
                           " is not available: fleetsim does not fetch remote resources");
    }
    return Status::Ok();
  }

  const Tree& tree_;
  std::set<std::string> visited_;
  std::map<std::string, const Blob*> files_;
};

// The id of what a render depends on: the app path, the options and every input by path and id.
ObjectId InputsKey(const std::string& dir, const KustomizeOptions& o,
                   const std::map<std::string, const Blob*>& inputs) {
  YAML::Emitter e;
  e << YAML::Flow << YAML::BeginSeq << dir << o.name_prefix << o.name_suffix << o.ns
    << YAML::BeginSeq;
  for (const std::string& image : o.images) e << image;
  e << YAML::EndSeq << YAML::BeginMap;
  for (const auto& [k, v] : o.common_labels) e << YAML::Key << k << YAML::Value << v;
  e << YAML::EndMap << YAML::BeginMap;
  for (const auto& [k, v] : o.common_annotations) e << YAML::Key << k << YAML::Value << v;
  e << YAML::EndMap << YAML::BeginSeq;
  for (const auto& [name, count] : o.replicas) e << name << count;
  e << YAML::EndSeq << YAML::BeginSeq;
  for (const std::string& c : o.components) e << c;
  e << YAML::EndSeq << o.force_common_labels << o.force_common_annotations
    << o.label_without_selector << o.label_include_templates << YAML::EndSeq;
  std::string text = std::string(e.c_str()) + "\n";
  for (const auto& [path, blob] : inputs) text += blob->id().hex() + " " + path + "\n";
  return HashObject(ObjectType::kBlob, text);
}

std::string FailedCommand(const std::string& command, int exit_code, const std::string& err) {
  std::string text = "`" + command + "` failed exit status " + std::to_string(exit_code);
  if (!err.empty()) text += ": " + err;
  return RpcError("Unknown", text);
}

// What executil.Run returns when the binary is missing. Argo CD only prefixes "Manifest generation
// error (cached): " once the same request failed PauseGenerationAfterFailedGenerationAttempts times
// (reposerver/repository/repository.go getManifestCacheEntry), which a first render is not.
Status ToolMissing() {
  return Status::Error(
      RpcError("Unknown", "exec: \"kustomize\": executable file not found in $PATH"));
}

}  // namespace

Result<std::map<std::string, const Blob*>> KustomizeInputs(const Tree& tree,
                                                           const std::string& dir) {
  InputCollector collector(tree);
  if (Status s = collector.VisitKustomization(dir); !s.ok()) return s;
  return collector.Take();
}

Result<RenderedManifestsPtr> KustomizeRenderer::Render(const Tree& tree, std::string_view path,
                                                       const KustomizeOptions& options) {
  auto known_key = std::make_tuple(tree.id(), std::string(path), options);
  if (auto known = known_.find(known_key); known != known_.end()) {
    ++hits_;
    return *known->second;
  }
  Result<std::string> dir = ResolveAppPath(tree, path);
  if (!dir.ok()) return dir.status();
  Result<std::map<std::string, const Blob*>> inputs = KustomizeInputs(tree, *dir);
  if (!inputs.ok()) {
    std::string shown = std::string(kWorkspaceAlias) + (dir->empty() ? "" : "/" + *dir);
    return Status::Error(FailedCommand("kustomize build " + shown, 1, "Error: " + inputs.error()));
  }
  ObjectId key = InputsKey(*dir, options, *inputs);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    ++hits_;
  } else {
    ++misses_;
    it = entries_.emplace(key, Build(tree, *dir, *inputs, options)).first;
  }
  known_.emplace(std::move(known_key), &it->second);
  return it->second;
}

Result<ToolOutcome> KustomizeRenderer::RunTool(ToolInvocation invocation, const std::string& dir) {
  const std::string target = dir.empty() ? "." : dir;
  if (tools_ == nullptr) tool_ = Tool::kNone;
  if (tool_ == Tool::kUnknown || tool_ == Tool::kKustomize) {
    invocation.program = "kustomize";
    invocation.args = {"build", target};
    Result<ToolOutcome> outcome = tools_->Run(invocation);
    if (!outcome.ok() || outcome->found) {
      tool_ = Tool::kKustomize;
      return outcome;
    }
    tool_ = Tool::kKubectl;
  }
  if (tool_ == Tool::kKubectl) {
    invocation.program = "kubectl";
    invocation.args = {"kustomize", target};
    Result<ToolOutcome> outcome = tools_->Run(invocation);
    if (!outcome.ok() || outcome->found) return outcome;
    tool_ = Tool::kNone;
  }
  ToolOutcome missing;
  missing.found = false;
  return missing;
}

Result<RenderedManifestsPtr> KustomizeRenderer::Build(
    const Tree& tree, const std::string& dir, const std::map<std::string, const Blob*>& inputs,
    const KustomizeOptions& options) {
  ToolInvocation invocation;
  invocation.workspace_alias = std::string(kWorkspaceAlias);
  for (const auto& [path, blob] : inputs) invocation.files[path] = blob->content();
  if (!options.empty()) {
    // Argo CD runs `kustomize edit` in the app path, on the kustomization file found first.
    std::vector<std::string> own = KustomizationFiles(tree, dir);
    if (!own.empty()) {
      Result<std::string> edited = ApplyKustomizeOptions(invocation.files[own.front()], options);
      if (!edited.ok()) return edited.status();
      invocation.files[own.front()] = std::move(*edited);
    }
  }
  Result<ToolOutcome> outcome = RunTool(std::move(invocation), dir);
  if (!outcome.ok()) return Status::Error(RpcError("Unknown", outcome.error()));
  if (!outcome->found) return ToolMissing();
  if (outcome->exit_code != 0) {
    std::string shown = std::string(kWorkspaceAlias) + (dir.empty() ? "" : "/" + dir);
    return Status::Error(FailedCommand("kustomize build " + shown, outcome->exit_code,
                                       KustomizeErrorText(outcome->err)));
  }
  return RenderedFromYaml(outcome->out);
}

}  // namespace fleetsim
