#include "sim/argocd/application_spec.h"

#include <map>

#include "sim/manifest/json.h"

namespace fleetsim {
namespace {

using json = Json;

const json* Field(const json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::string StringField(const json& obj, const char* key) {
  const json* v = Field(obj, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

bool BoolField(const json& obj, const char* key, bool fallback) {
  const json* v = Field(obj, key);
  return v && v->is_boolean() ? v->get<bool>() : fallback;
}

// Kubernetes durations in a retry backoff are Go duration strings ("5s", "3m").
SimDuration DurationField(const json& obj, const char* key, SimDuration fallback) {
  std::string text = StringField(obj, key);
  if (text.empty()) return fallback;
  Result<SimDuration> d = ParseDuration(text);
  return d.ok() ? *d : fallback;
}

std::vector<std::string> StringList(const json& obj, const char* key) {
  std::vector<std::string> out;
  const json* v = Field(obj, key);
  if (v == nullptr || !v->is_array()) return out;
  for (const json& item : *v) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::map<std::string, std::string> StringMap(const json& obj, const char* key) {
  std::map<std::string, std::string> out;
  const json* v = Field(obj, key);
  if (v == nullptr || !v->is_object()) return out;
  for (const auto& [k, item] : v->items()) {
    if (item.is_string()) out[k] = item.get<std::string>();
  }
  return out;
}

// A replicas count is an int or a string holding one (KustomizeReplica.Count, intstr).
int64_t IntOrString(const json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    try {
      return std::stoll(v.get<std::string>());
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

KustomizeOptions ParseKustomize(const json& k) {
  KustomizeOptions o;
  o.name_prefix = StringField(k, "namePrefix");
  o.name_suffix = StringField(k, "nameSuffix");
  o.ns = StringField(k, "namespace");
  o.images = StringList(k, "images");
  o.common_labels = StringMap(k, "commonLabels");
  o.common_annotations = StringMap(k, "commonAnnotations");
  o.components = StringList(k, "components");
  o.force_common_labels = BoolField(k, "forceCommonLabels", false);
  o.force_common_annotations = BoolField(k, "forceCommonAnnotations", false);
  o.label_without_selector = BoolField(k, "labelWithoutSelector", false);
  o.label_include_templates = BoolField(k, "labelIncludeTemplates", false);
  if (const json* replicas = Field(k, "replicas"); replicas && replicas->is_array()) {
    for (const json& r : *replicas) {
      if (!r.is_object()) continue;
      o.replicas.emplace_back(StringField(r, "name"),
                              r.contains("count") ? IntOrString(r["count"]) : 0);
    }
  }
  return o;
}

// Helm's values: the `values` string, else `valuesObject` written as YAML (JSON is YAML).
HelmOptions ParseHelm(const json& h) {
  HelmOptions o;
  o.release_name = StringField(h, "releaseName");
  o.ns = StringField(h, "namespace");
  o.value_files = StringList(h, "valueFiles");
  o.values = StringField(h, "values");
  if (const json* object = Field(h, "valuesObject"); object && o.values.empty()) {
    o.values = object->dump();
  }
  if (const json* params = Field(h, "parameters"); params && params->is_array()) {
    for (const json& p : *params) {
      if (!p.is_object()) continue;
      o.parameters.push_back(
          {StringField(p, "name"), StringField(p, "value"), BoolField(p, "forceString", false)});
    }
  }
  if (const json* params = Field(h, "fileParameters"); params && params->is_array()) {
    for (const json& p : *params) {
      if (p.is_object())
        o.file_parameters.emplace_back(StringField(p, "name"), StringField(p, "path"));
    }
  }
  o.kube_version = StringField(h, "kubeVersion");
  o.api_versions = StringList(h, "apiVersions");
  o.skip_crds = BoolField(h, "skipCrds", false);
  o.skip_tests = BoolField(h, "skipTests", false);
  o.skip_schema_validation = BoolField(h, "skipSchemaValidation", false);
  return o;
}

ApplicationSource ParseSource(const json& src) {
  ApplicationSource s;
  s.repo_url = StringField(src, "repoURL");
  s.target_revision = StringField(src, "targetRevision");
  if (s.target_revision.empty()) s.target_revision = "HEAD";
  s.path = StringField(src, "path");
  s.chart = StringField(src, "chart");
  s.has_kustomize = Field(src, "kustomize") != nullptr;
  s.has_helm = Field(src, "helm") != nullptr;
  if (s.has_kustomize) s.kustomize = ParseKustomize(src["kustomize"]);
  if (s.has_helm) s.helm = ParseHelm(src["helm"]);
  s.has_plugin = Field(src, "plugin") != nullptr;
  if (const json* dir = Field(src, "directory")) {
    s.has_directory = true;
    s.directory_recurse = BoolField(*dir, "recurse", false);
    s.directory_include = StringField(*dir, "include");
    s.directory_exclude = StringField(*dir, "exclude");
  }
  return s;
}

RetryPolicy ParseRetry(const json& retry) {
  RetryPolicy r;
  if (const json* limit = Field(retry, "limit"); limit && limit->is_number_integer()) {
    r.limit = limit->get<int64_t>();
  }
  r.refresh = BoolField(retry, "refresh", false);
  if (const json* backoff = Field(retry, "backoff")) {
    r.backoff_duration = DurationField(*backoff, "duration", r.backoff_duration);
    r.backoff_max = DurationField(*backoff, "maxDuration", r.backoff_max);
    if (const json* f = Field(*backoff, "factor"); f && f->is_number_integer()) {
      r.backoff_factor = f->get<int64_t>();
    }
  }
  return r;
}

}  // namespace

Result<ApplicationSpec> ParseApplicationSpec(const Object& app) {
  const json* spec = Field(app.doc(), "spec");
  if (spec == nullptr || !spec->is_object()) return Status::Error("spec is required");
  ApplicationSpec out;
  std::string project = StringField(*spec, "project");
  if (!project.empty()) out.project = project;

  const json* source = Field(*spec, "source");
  const json* sources = Field(*spec, "sources");
  if (sources && sources->is_array() && !sources->empty()) {
    for (const json& s : *sources) out.sources.push_back(ParseSource(s));
    out.source_hash = HashJson(*sources);
  } else if (source) {
    out.sources.push_back(ParseSource(*source));
    out.source_hash = HashJson(*source);
  }
  if (out.sources.empty()) return Status::Error("spec.source or spec.sources is required");
  for (const ApplicationSource& s : out.sources) {
    if (s.repo_url.empty() || (s.path.empty() && s.chart.empty())) {
      return Status::Error(
          "spec.source.repoURL and either source.path, source.chart, or source.ref are required");
    }
  }

  if (const json* dest = Field(*spec, "destination")) {
    out.dest_server = StringField(*dest, "server");
    out.dest_name = StringField(*dest, "name");
    out.dest_namespace = StringField(*dest, "namespace");
    out.destination_hash = HashJson(*dest);
  }
  if (out.dest_server.empty() && out.dest_name.empty()) {
    return Status::Error("Destination server missing from app spec");
  }
  if (!out.dest_server.empty() && !out.dest_name.empty()) {
    return Status::Error("application destination can't have both name and server defined: " +
                         out.dest_name + " " + out.dest_server);
  }

  // helmTemplate: the release is named after the app, in the destination namespace, by default.
  for (ApplicationSource& s : out.sources) {
    if (s.helm.release_name.empty()) s.helm.release_name = app.name();
    if (s.helm.ns.empty()) s.helm.ns = out.dest_namespace;
  }

  if (const json* policy = Field(*spec, "syncPolicy")) {
    if (const json* automated = Field(*policy, "automated")) {
      out.automated = BoolField(*automated, "enabled", true);
      out.prune = BoolField(*automated, "prune", false);
      out.self_heal = BoolField(*automated, "selfHeal", false);
      out.allow_empty = BoolField(*automated, "allowEmpty", false);
    }
    if (const json* retry = Field(*policy, "retry")) out.retry = ParseRetry(*retry);
    if (const json* options = Field(*policy, "syncOptions"); options && options->is_array()) {
      for (const json& o : *options) {
        if (o.is_string()) out.sync_option_entries.push_back(o.get<std::string>());
      }
    }
  }
  out.sync_options = SyncOptions::Parse(out.sync_option_entries);
  return out;
}

}  // namespace fleetsim
