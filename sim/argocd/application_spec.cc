#include "sim/argocd/application_spec.h"

#include <nlohmann/json.hpp>

namespace fleetsim {
namespace {

using nlohmann::json;

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

ApplicationSource ParseSource(const json& src) {
  ApplicationSource s;
  s.repo_url = StringField(src, "repoURL");
  s.target_revision = StringField(src, "targetRevision");
  if (s.target_revision.empty()) s.target_revision = "HEAD";
  s.path = StringField(src, "path");
  s.chart = StringField(src, "chart");
  s.has_kustomize = Field(src, "kustomize") != nullptr;
  s.has_helm = Field(src, "helm") != nullptr;
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
