// The git generator (argo-cd applicationset/generators/git.go) over a tree from AppSetSources.
#include <algorithm>
#include <map>

#include "sim/argocd/appset_generators_internal.h"
#include "sim/manifest/glob.h"
#include "sim/manifest/yaml_to_json.h"

namespace fleetsim {
namespace {

std::string Str(const Json& node, const char* key) {
  auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : "";
}

bool Flag(const Json& node, const char* key) {
  auto it = node.find(key);
  return it != node.end() && it->is_boolean() && it->get<bool>();
}

// The repo-server's directory listing: every directory of the tree, hidden ones ('.' names) and
// what is under them left out, in path order.
void ListDirectories(const TreeNode& node, const std::string& prefix,
                     std::vector<std::string>* out) {
  for (const TreeEntry& e : node.entries()) {
    if (!e.is_directory() || e.name.empty() || e.name[0] == '.') continue;
    std::string path = prefix.empty() ? e.name : prefix + "/" + e.name;
    out->push_back(path);
    ListDirectories(*e.tree, path, out);
  }
}

// encoding/json's name for the Go type a JSON value decodes to, in its "cannot unmarshal" error.
const char* JsonTypeName(const Json& v) {
  if (v.is_string()) return "string";
  if (v.is_number()) return "number";
  if (v.is_boolean()) return "bool";
  if (v.is_array()) return "array";
  return "object";
}

// yaml.Unmarshal into a map, then into a list of maps (generateParamsFromGitFile).
Result<std::vector<Json>> ParseGitFile(const std::string& content) {
  Result<std::vector<Json>> docs = YamlToJson(content);
  if (!docs.ok()) return Status::Error("unable to parse file: " + docs.error());
  if (docs->empty() || (*docs)[0].is_null()) return std::vector<Json>{Json::object()};
  const Json& doc = (*docs)[0];
  if (doc.is_object()) return std::vector<Json>{doc};
  std::string prefix =
      "unable to parse file: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ";
  if (!doc.is_array()) {
    return Status::Error(prefix + JsonTypeName(doc) +
                         " into Go value of type []map[string]interface {}");
  }
  std::vector<Json> out;
  for (const Json& item : doc) {
    if (!item.is_object() && !item.is_null()) {
      return Status::Error(prefix + JsonTypeName(item) +
                           " into Go value of type map[string]interface {}");
    }
    out.push_back(item.is_null() ? Json::object() : item);
  }
  return out;
}

Result<std::vector<ParamSet>> DirectoryParamSets(const Json& git, const Tree& tree,
                                                 GeneratorContext& ctx) {
  std::vector<std::string> all;
  ListDirectories(*tree.root(), "", &all);
  std::string prefix = Str(git, "pathParamPrefix");
  std::vector<ParamSet> out;
  for (const std::string& dir : all) {
    bool include = false;
    bool exclude = false;
    for (const Json& item : git["directories"]) {
      if (!GoPathMatch(Str(item, "path"), dir)) continue;
      (Flag(item, "exclude") ? exclude : include) = true;
    }
    if (!include || exclude) continue;  // an exclude wins, whatever the order
    ParamSet params = DirectoryParams(dir, prefix, ctx.spec.go_template);
    Status values = AppendValues(git, params, ctx);
    if (!values.ok())
      return Status::Error("error generating params from apps: " + values.message());
    out.push_back(std::move(params));
  }
  return out;
}

std::map<std::string, const Blob*> FilesMatching(const Tree& tree, const std::string& pattern) {
  std::map<std::string, const Blob*> out;
  Result<Glob> glob = Glob::Compile(pattern);
  if (!glob.ok()) return out;
  tree.Walk("", [&](const std::string& path, const Blob& blob) {
    if (glob->Match(path)) out.emplace(path, &blob);
  });
  return out;
}

Result<std::vector<ParamSet>> FileParamSets(const Json& git, const Tree& tree,
                                            GeneratorContext& ctx) {
  std::map<std::string, const Blob*> files;  // sorted by path, as the generator sorts them
  for (const Json& item : git["files"]) {
    if (!Flag(item, "exclude")) files.merge(FilesMatching(tree, Str(item, "path")));
  }
  for (const Json& item : git["files"]) {
    if (!Flag(item, "exclude")) continue;
    for (const auto& [path, blob] : FilesMatching(tree, Str(item, "path"))) files.erase(path);
  }
  std::string prefix = Str(git, "pathParamPrefix");
  std::vector<ParamSet> out;
  for (const auto& [path, blob] : files) {
    auto fail = [&](const std::string& why) {
      return Status::Error("unable to process file '" + path + "' from repository '" +
                           Str(git, "repoURL") + "': " + why);
    };
    Result<std::vector<Json>> objects = ParseGitFile(blob->content());
    if (!objects.ok()) return fail(objects.error());
    for (const Json& object : *objects) {
      Result<ParamSet> params = FileParams(path, object, prefix, ctx.spec.go_template);
      if (!params.ok()) return fail(params.error());
      Status values = AppendValues(git, *params, ctx);
      if (!values.ok()) return fail("failed to append templated values: " + values.message());
      out.push_back(std::move(params).value());
    }
  }
  return out;
}

}  // namespace

Result<std::vector<ParamSet>> GitParams(const Json& git, GeneratorContext& ctx) {
  bool has_dirs =
      git.contains("directories") && git["directories"].is_array() && !git["directories"].empty();
  bool has_files = git.contains("files") && git["files"].is_array() && !git["files"].empty();
  if (!has_dirs && !has_files) return Status::Error("ApplicationSet is empty");
  // The generator reads the template's project first (to enforce its source integrity).
  const Json& tmpl_spec = ctx.spec.template_.value("spec", Json::object());
  std::string project = tmpl_spec.is_object() ? Str(tmpl_spec, "project") : "";
  if (project.find("{{") == std::string::npos && !ctx.sources.ProjectExists(project)) {
    return Status::Error("error getting project " + project + ": appprojects.argoproj.io \"" +
                         project + "\" not found");
  }
  Result<Tree> tree = ctx.sources.GitTreeFor(ctx.spec.name, Str(git, "repoURL"),
                                             Str(git, "revision"), ctx.no_revision_cache);
  Result<std::vector<ParamSet>> params = Status::Error("");
  if (has_dirs) {
    if (!tree.ok()) {
      return Status::Error(
          "error generating params from git: error getting directories from repo: " + tree.error());
    }
    params = DirectoryParamSets(git, *tree, ctx);
  } else {
    if (!tree.ok()) return Status::Error("error generating params from git: " + tree.error());
    params = FileParamSets(git, *tree, ctx);
  }
  if (!params.ok()) return Status::Error("error generating params from git: " + params.error());
  return params;
}

}  // namespace fleetsim
