#include "sim/manifest/helm_source.h"

#include <algorithm>

#include "sim/manifest/directory_source.h"
#include "sim/manifest/kustomize_source.h"

namespace fleetsim {
namespace {

// Where options.values goes in the workspace (Argo CD writes it to a temporary file).
constexpr std::string_view kValuesFile = ".fleetsim-helm/values.yaml";

// util/helm/cmd.go cleanSetParameters: ',' becomes "\," unless already escaped or a {list}.
std::string CleanSetParameter(const std::string& value) {
  if (value.starts_with('{') && value.ends_with('}')) return value;
  std::string out;
  char previous = 0;
  for (char c : value) {
    if (c == ',' && previous != '\\') {
      out += "\\,";
    } else {
      out += c;
    }
    previous = c;
  }
  return out;
}

// The path of repository file `path` seen from directory `dir`.
std::string RelativeTo(const std::string& dir, const std::string& path) {
  std::string up;
  if (!dir.empty()) {
    up = "../";
    for (char c : dir) {
      if (c == '/') up += "../";
    }
  }
  return up + path;
}

ObjectId InputsKey(const std::string& dir, const HelmOptions& o,
                   const std::map<std::string, const Blob*>& inputs) {
  std::string text = dir + "\n";
  for (const std::string& arg : HelmTemplateArgs(o, "values")) text += arg + "\n";
  text += o.values + "\n";
  for (const auto& [path, blob] : inputs) text += blob->id().hex() + " " + path + "\n";
  return HashObject(ObjectType::kBlob, text);
}

}  // namespace

std::vector<std::string> HelmTemplateArgs(const HelmOptions& o, const std::string& values_file) {
  std::vector<std::string> args = {"template", ".", "--name-template", o.release_name};
  if (!o.ns.empty()) args.insert(args.end(), {"--namespace", o.ns});
  if (!o.kube_version.empty()) args.insert(args.end(), {"--kube-version", o.kube_version});
  std::map<std::string, std::string> set, set_string, set_file;
  for (const HelmParameter& p : o.parameters) (p.force_string ? set_string : set)[p.name] = p.value;
  for (const auto& [name, path] : o.file_parameters) set_file[name] = path;
  for (const auto& [k, v] : set) args.insert(args.end(), {"--set", k + "=" + CleanSetParameter(v)});
  for (const auto& [k, v] : set_string) {
    args.insert(args.end(), {"--set-string", k + "=" + CleanSetParameter(v)});
  }
  for (const auto& [k, v] : set_file) {
    args.insert(args.end(), {"--set-file", k + "=" + CleanSetParameter(v)});
  }
  for (const std::string& f : o.value_files) args.insert(args.end(), {"--values", f});
  if (!values_file.empty()) args.insert(args.end(), {"--values", values_file});
  for (const std::string& v : o.api_versions) args.insert(args.end(), {"--api-versions", v});
  if (!o.skip_crds) args.push_back("--include-crds");
  if (o.skip_schema_validation) args.push_back("--skip-schema-validation");
  if (o.skip_tests) args.push_back("--skip-tests");
  return args;
}

Result<RenderedManifestsPtr> HelmRenderer::Render(const Tree& tree, std::string_view path,
                                                  const HelmOptions& options) {
  auto known_key = std::make_tuple(tree.id(), std::string(path), options);
  if (auto known = known_.find(known_key); known != known_.end()) {
    ++hits_;
    return *known->second;
  }
  Result<std::string> dir = ResolveAppPath(tree, path);
  if (!dir.ok()) return dir.status();
  // The chart, and the value files and file parameters it is given.
  std::map<std::string, const Blob*> inputs;
  tree.Walk(*dir, [&](const std::string& p, const Blob& b) { inputs[p] = &b; });
  std::vector<std::string> referenced = options.value_files;
  for (const auto& [name, file] : options.file_parameters) referenced.push_back(file);
  for (const std::string& ref : referenced) {
    std::optional<std::string> file = ResolveRepoPath(*dir, ref);
    if (file && tree.Kind(*file) == PathKind::kFile) inputs[*file] = tree.FindFile(*file);
  }
  ObjectId key = InputsKey(*dir, options, inputs);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    ++hits_;
  } else {
    ++misses_;
    it = entries_.emplace(key, Build(*dir, inputs, options)).first;
  }
  known_.emplace(std::move(known_key), &it->second);
  return it->second;
}

Result<RenderedManifestsPtr> HelmRenderer::Build(const std::string& dir,
                                                 const std::map<std::string, const Blob*>& inputs,
                                                 const HelmOptions& options) {
  const std::string prefix = "failed to execute helm template command: failed running helm: ";
  ToolInvocation invocation;
  invocation.program = "helm";
  invocation.dir = dir;
  invocation.workspace_alias = "<path to cached source>";
  for (const auto& [path, blob] : inputs) invocation.files[path] = blob->content();
  std::string values_file;
  if (!options.values.empty()) {
    invocation.files[std::string(kValuesFile)] = options.values;
    values_file = RelativeTo(dir, std::string(kValuesFile));
  }
  invocation.args = HelmTemplateArgs(options, values_file);
  ToolOutcome outcome;
  outcome.found = false;
  if (tools_ != nullptr) {
    Result<ToolOutcome> ran = tools_->Run(invocation);
    if (!ran.ok()) return Status::Error(RpcError("Unknown", prefix + ran.error()));
    outcome = std::move(*ran);
  }
  if (!outcome.found) {
    return Status::Error(
        RpcError("Unknown", prefix + "exec: \"helm\": executable file not found in $PATH"));
  }
  if (outcome.exit_code != 0) {
    std::string command = "helm";
    for (const std::string& arg : invocation.args) command += " " + arg;
    std::string text =
        prefix + "`" + command + "` failed exit status " + std::to_string(outcome.exit_code);
    std::string_view err = outcome.err;
    while (!err.empty() && std::isspace(static_cast<unsigned char>(err.back()))) {
      err.remove_suffix(1);
    }
    if (!err.empty()) text += ": " + std::string(err);
    return Status::Error(RpcError("Unknown", text));
  }
  return RenderedFromYaml(outcome.out);
}

}  // namespace fleetsim
