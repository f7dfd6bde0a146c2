// ApplicationSetController::Reconcile and what it writes (applicationset_controller.go Reconcile,
// createOrUpdateInCluster, createInCluster, deleteInCluster, removeFinalizerOnInvalidDestination,
// removeOwnerReferencesOnDeleteAppSet).
#include <algorithm>

#include "sim/argocd/appset_controller.h"
#include "sim/scenario/rfc3339.h"

namespace fleetsim {
namespace {

// Annotations the controller never overwrites on an existing Application
// (defaultPreservedAnnotations).
const char* const kPreservedAnnotations[] = {"notified.notifications.argoproj.io",
                                             "argocd.argoproj.io/refresh",
                                             "argocd.argoproj.io/hydrate"};
// Finalizers of an existing Application that are kept (defaultPreservedFinalizers, by prefix).
const char* const kPreservedFinalizers[] = {"pre-delete-finalizer.argocd.argoproj.io",
                                            "post-delete-finalizer.argocd.argoproj.io"};

const Json& Meta(const Json& doc, const char* key) {
  static const Json kNull;
  auto m = doc.find("metadata");
  if (m == doc.end()) return kNull;
  auto it = m->find(key);
  return it == m->end() ? kNull : *it;
}

std::string Str(const Json& v) { return v.is_string() ? v.get<std::string>() : ""; }

Json OwnerRef(const LiveObject& appset) {
  return {{"apiVersion", "argoproj.io/v1alpha1"},
          {"kind", "ApplicationSet"},
          {"name", appset.key().name},
          {"uid", appset.uid},
          {"controller", true},
          {"blockOwnerDeletion", true}};
}

// Copies `keys` of `from` (an existing Application's labels or annotations) into `into`.
void Preserve(const Json& from, const std::vector<std::string>& keys, Json& into) {
  if (!from.is_object()) return;
  for (const std::string& k : keys) {
    auto it = from.find(k);
    if (it == from.end()) continue;
    if (!into.is_object()) into = Json::object();
    into[k] = *it;
  }
}

// The metadata fields the controller writes on an existing Application.
struct WrittenMetadata {
  Json annotations;
  Json labels;
  Json finalizers;
  Json owner_references;
};

WrittenMetadata MetadataWritten(const AppSetSpec& spec, const LiveObject& appset,
                                const Json& existing, const Json& desired) {
  WrittenMetadata out;
  out.annotations = Meta(desired, "annotations");
  out.labels = Meta(desired, "labels");
  std::vector<std::string> keep_annotations = spec.preserved_annotations;
  for (const char* a : kPreservedAnnotations) keep_annotations.emplace_back(a);
  Preserve(Meta(existing, "annotations"), keep_annotations, out.annotations);
  Preserve(Meta(existing, "labels"), spec.preserved_labels, out.labels);
  out.finalizers = Meta(desired, "finalizers");
  if (!out.finalizers.is_array()) out.finalizers = Json::array();
  for (const Json& f : Meta(existing, "finalizers")) {
    for (const char* prefix : kPreservedFinalizers) {
      if (Str(f).rfind(prefix, 0) == 0) out.finalizers.push_back(f);
    }
  }
  // SetControllerReference: replaces a controller reference to this ApplicationSet or adds one.
  out.owner_references = Json::array();
  for (const Json& ref : Meta(existing, "ownerReferences")) {
    if (Str(ref.value("kind", Json())) == "ApplicationSet" &&
        Str(ref.value("name", Json())) == appset.key().name) {
      continue;
    }
    out.owner_references.push_back(ref);
  }
  out.owner_references.push_back(OwnerRef(appset));
  return out;
}

// An empty value is written as the field's absence.
bool Absent(const Json& value) { return value.is_null() || value.empty(); }

// The Application `existing` becomes once the generated one is written over it.
Json UpdatedDoc(const WrittenMetadata& written, const Json& existing, const Json& desired) {
  Json doc = existing;
  doc["spec"] = desired.value("spec", Json::object());
  Json& meta = doc["metadata"];
  auto set_or_erase = [&](const char* key, const Json& value) {
    if (Absent(value)) {
      meta.erase(key);
    } else {
      meta[key] = value;
    }
  };
  set_or_erase("annotations", written.annotations);
  set_or_erase("labels", written.labels);
  set_or_erase("finalizers", written.finalizers);
  meta["ownerReferences"] = written.owner_references;
  return doc;
}

// Whether writing the generated Application over `existing` would leave it as it is: UpdatedDoc
// compared with `existing` field by field, without copying the Application (its status is large).
bool WouldNotChange(const WrittenMetadata& written, const Json& existing, const Json& desired) {
  auto spec = desired.find("spec");
  auto live_spec = existing.find("spec");
  bool same_spec = spec != desired.end() ? live_spec != existing.end() && *live_spec == *spec
                                         : live_spec != existing.end() && live_spec->is_object() &&
                                               live_spec->empty();
  if (!same_spec) return false;
  auto same = [&](const char* key, const Json& value) {
    const Json& live = Meta(existing, key);
    if (Absent(value)) return existing.contains("metadata") && !existing["metadata"].contains(key);
    return live == value;
  };
  return same("annotations", written.annotations) && same("labels", written.labels) &&
         same("finalizers", written.finalizers) &&
         Meta(existing, "ownerReferences") == written.owner_references;
}

}  // namespace

void ApplicationSetController::Reconcile(const std::string& name) {
  ++reconciles_;
  AppSetState& state = states_[name];
  state.name = name;
  if (state.requeue != 0) {
    sim_.Cancel(state.requeue);
    state.requeue = 0;
  }
  ObjectKey key{"argoproj.io", "ApplicationSet", "argocd", name};
  Result<LiveObject> live = management_.Get(key);
  if (!live.ok()) return;  // gone, or the API is unreachable: the next event brings it back
  bool no_cache = state.no_cache ||
                  !live->object->annotation("argocd.argoproj.io/application-set-refresh").empty();
  state.no_cache = false;
  // The spec as parsed at this resourceVersion (a status write changes it too).
  if (!state.parsed || state.parsed_version != live->resource_version ||
      state.parsed->uid != live->uid) {
    state.parsed.reset();
    Result<AppSetSpec> parsed = ParseAppSetSpec(live->doc());
    if (!parsed.ok()) {
      return Fail(state, *live, "ApplicationParamsGenerationError", parsed.error());
    }
    state.parsed = std::move(parsed).value();
    state.parsed->uid = live->uid;
    state.parsed_version = live->resource_version;
    state.repo_urls.clear();
    state.cluster_generator = live->doc().dump().find("\"clusters\"") != std::string::npos;
    state.spec_text = live->doc()["spec"].dump();
    const std::string& text = state.spec_text;
    for (size_t at = text.find("\"repoURL\":\""); at != std::string::npos;
         at = text.find("\"repoURL\":\"", at + 1)) {
      size_t start = at + 11;
      state.repo_urls.push_back(text.substr(start, text.find('"', start) - start));
    }
  }
  const AppSetSpec& spec = *state.parsed;
  if (live->being_deleted()) return ReconcileDeletion(*live, spec);

  if (!spec.unrecognized_generators.empty()) {
    std::string warning = UnrecognizedGeneratorsMessage(spec);
    Record("ApplicationSetWarning", name, "", warning, warning != state.last_warning);
    state.last_warning = warning;
  }
  // The memo stands for a generation with the revision cache; a refresh without it generates.
  std::string memo_key = live->uid + "\n" + state.spec_text;
  RecordingSources recorder(sources_);
  const AppSetMemo::Generation* memo = no_cache ? nullptr : state.memo.Lookup(memo_key, recorder);
  AppSetMemo::Generation fresh;
  if (memo == nullptr) {
    state.memo.Clear();
    GenerateOptions options;
    options.no_revision_cache = no_cache;
    fresh.generated = GenerateApplications(spec, recorder, options);
    if (!fresh.generated.errors.empty()) {
      return Fail(state, *live, fresh.generated.errors.front().reason,
                  fresh.generated.errors.front().message);
    }
    fresh.validation = ValidateApplications(spec, fresh.generated.apps, recorder);
    fresh.Index();
    if (!no_cache) {
      state.memo.Store(memo_key, recorder.Calls(), fresh);
    }
  }
  const AppSetMemo::Generation& generation = memo != nullptr ? *memo : fresh;
  const GeneratedApps& generated = generation.generated;
  const ValidationResult& validation = generation.validation;
  std::set<std::string> to_sync;
  bool rolling = false;
  if (progressive_ != nullptr && spec.rolling_sync) {
    if (spec.steps.empty()) {
      return Fail(state, *live, "ApplicationSetRolloutError", "No steps defined for rollout", true);
    }
    rolling = true;
    to_sync = PerformProgressiveSyncs(state, spec, generated.apps);
  } else {
    // Progressive syncs disabled, or not a RollingSync: no per-Application status is kept.
    SetAppStatuses(state, {});
    state.rollout_progressing.reset();
    state.rollout_config.reset();
  }
  // The valid Applications in name order.
  std::vector<std::pair<std::string_view, const Json*>> valid;
  valid.reserve(generation.valid.size());
  for (const auto& [app_name, index] : generation.valid) {
    valid.emplace_back(app_name, &generated.apps[index]);
  }

  std::map<std::string, bool> syncs;
  std::vector<Json> rolling_apps;
  if (rolling) {
    for (const auto& entry : valid) rolling_apps.push_back(*entry.second);
    syncs = SyncDesiredApplications(state, to_sync, &rolling_apps);
    for (size_t i = 0; i < valid.size(); ++i) valid[i].second = &rolling_apps[i];
  }

  AppSetPolicy policy = EffectivePolicy(spec, settings_.applications_sync_policy,
                                        settings_.applications_sync_policy_override);
  Counts counts;
  std::string write_error;
  // What was written or found up to date is known from a generation like this one only.
  if (memo == nullptr) state.up_to_date.clear();
  std::vector<LiveObject> owned = OwnedApplications(spec);
  std::map<std::string_view, const LiveObject*> owned_by_name;
  for (const LiveObject& app : owned) owned_by_name.emplace(app.key().name, &app);
  for (const auto& [app_name, app] : valid) {
    auto found = owned_by_name.find(app_name);
    bool exists = found != owned_by_name.end();
    if (!AllowsUpdate(policy) && exists) continue;  // createInCluster: only what is missing
    if (exists) {
      // Unchanged since this same generation was written over it: the write would change
      // nothing.
      auto known = state.up_to_date.find(app_name);
      if (known != state.up_to_date.end() && known->second == found->second->resource_version) {
        continue;
      }
    }
    CreateOrUpdate(spec, *live, *app, AllowsUpdate(policy), &counts, &write_error,
                   &state.up_to_date);
  }
  TriggerSyncs(state, syncs);
  if (write_error.empty() && AllowsDelete(policy)) {
    DeleteStale(spec, generation.names, owned, &counts, &write_error);
  }
  std::string error = !write_error.empty() ? write_error : validation.message;
  std::string reason = !write_error.empty()          ? "UpdateApplicationError"
                       : !validation.message.empty() ? "ApplicationValidationError"
                                                     : "";
  if (!error.empty()) {
    Record("ApplicationSetError", name, "", error, error != state.last_error);
  }
  state.last_error = error;
  WriteStatus(state, *live, reason, error, true);
  bool changed = counts.created + counts.updated + counts.deleted > 0;
  Record("ApplicationSetReconciled", name, "",
         std::to_string(generated.apps.size()) + " generated, " + std::to_string(counts.created) +
             " created, " + std::to_string(counts.updated) + " updated, " +
             std::to_string(counts.deleted) + " deleted",
         changed);
  if (!write_error.empty()) {
    // Reconcile returned the error: controller-runtime requeues with its per-item backoff.
    RequeueAfter(state, WriteErrorBackoff(state.write_failures++));
    return;
  }
  state.write_failures = 0;
  SimDuration requeue = MinRequeueAfter(spec, settings_.appset_requeue);
  if (!error.empty() && requeue == SimDuration::Zero()) requeue = kAppSetErrorRequeue;
  RequeueAfter(state, requeue);
}

SimDuration WriteErrorBackoff(int64_t failures) {
  SimDuration d = SimDuration::Millis(5);
  for (int64_t i = 0; i < failures && d < kAppSetMaxBackoff; ++i) d = d * 2;
  return std::min(d, kAppSetMaxBackoff);
}

void ApplicationSetController::Fail(AppSetState& state, const LiveObject& appset,
                                    const std::string& reason, const std::string& message,
                                    bool parameters_generated) {
  Record("ApplicationSetError", state.name, "", message, message != state.last_error);
  state.last_error = message;
  state.write_failures = 0;  // a Result with RequeueAfter and no error: the backoff is forgotten
  WriteStatus(state, appset, reason, message, parameters_generated);
  RequeueAfter(state, kAppSetErrorRequeue);
}

void ApplicationSetController::ReconcileDeletion(const LiveObject& appset, const AppSetSpec& spec) {
  AppSetPolicy policy = EffectivePolicy(spec, settings_.applications_sync_policy,
                                        settings_.applications_sync_policy_override);
  if (!AllowsDelete(policy)) {
    // removeOwnerReferencesOnDeleteAppSet: the garbage collector then leaves the Applications.
    for (const LiveObject& app : OwnedApplications(spec)) {
      Json patch = {{"metadata", {{"ownerReferences", nullptr}}}};
      if (management_.Patch(app.key(), patch).ok()) {
        Record("ApplicationSetOwnerReferenceRemoved", spec.name, app.key().name,
               "policy forbids deleting Applications");
      }
    }
  }
  if (std::find(spec.finalizers.begin(), spec.finalizers.end(), kResourcesFinalizer) !=
      spec.finalizers.end()) {
    (void)management_.RemoveFinalizer(appset.key(), kResourcesFinalizer);
  }
}

std::vector<LiveObject> ApplicationSetController::OwnedApplications(const AppSetSpec& spec) {
  ListOptions list;
  list.group = "argoproj.io";
  list.kind = "Application";
  list.ns = spec.ns;
  std::vector<LiveObject> out;
  Result<std::vector<LiveObject>> apps = management_.List(list);
  if (!apps.ok()) return out;
  for (LiveObject& app : *apps) {
    for (const OwnerReference& ref : app.object->owner_references()) {
      if (ref.controller && ref.kind == "ApplicationSet" && ref.name == spec.name) {
        out.push_back(std::move(app));
        break;
      }
    }
  }
  return out;
}

void ApplicationSetController::CreateOrUpdate(
    const AppSetSpec& spec, const LiveObject& appset, const Json& desired, bool update,
    Counts* counts, std::string* error, std::map<std::string, uint64_t, std::less<>>* up_to_date) {
  std::string name = Str(Meta(desired, "name"));
  if (auto it = up_to_date->find(name); it != up_to_date->end()) up_to_date->erase(it);
  ObjectKey key{"argoproj.io", "Application", spec.ns, name};
  Result<LiveObject> found = management_.Get(key);
  if (!found.ok()) {
    Json doc = desired;
    doc["metadata"]["ownerReferences"] = Json::array({OwnerRef(appset)});
    Result<LiveObject> created = management_.Create(Object(doc));
    if (!created.ok()) {
      if (error->empty()) *error = created.error();
      return;
    }
    (*up_to_date)[name] = created->resource_version;
    ++counts->created;
    Record("ApplicationGenerated", spec.name, name, "created by ApplicationSet " + spec.name);
    return;
  }
  if (!update) return;
  WrittenMetadata written = MetadataWritten(spec, appset, found->doc(), desired);
  bool unchanged =
      spec.ignore_differences.empty() && WouldNotChange(written, found->doc(), desired);
  Json doc;
  if (!unchanged) {
    doc = MergeFromIgnoring(spec.ignore_differences, found->doc(),
                            UpdatedDoc(written, found->doc(), desired));
    unchanged = doc == found->doc();
  }
  if (unchanged) {
    (*up_to_date)[name] = found->resource_version;
    return;
  }
  Result<LiveObject> updated = management_.Update(Object(doc));
  if (!updated.ok()) {
    if (error->empty()) *error = updated.error();
    return;
  }
  (*up_to_date)[name] = updated->resource_version;
  ++counts->updated;
  Record("GeneratedApplicationUpdated", spec.name, name, "updated by ApplicationSet " + spec.name);
}

void ApplicationSetController::DeleteStale(const AppSetSpec& spec,
                                           const std::set<std::string, std::less<>>& wanted,
                                           const std::vector<LiveObject>& owned, Counts* counts,
                                           std::string* error) {
  for (const LiveObject& app : owned) {
    const std::string& name = app.key().name;
    if (wanted.count(name) != 0 || app.being_deleted()) continue;
    const Json& dest = app.doc().value("spec", Json::object()).value("destination", Json::object());
    const auto& finalizers = app.object->finalizers();
    bool has_finalizer =
        std::find(finalizers.begin(), finalizers.end(), kResourcesFinalizer) != finalizers.end();
    if (has_finalizer &&
        !sources_
             .ResolveDestination(Str(dest.value("server", Json())), Str(dest.value("name", Json())))
             .ok()) {
      // An app whose cluster is gone is deleted without cascading.
      if (management_.RemoveFinalizer(app.key(), kResourcesFinalizer).ok()) {
        Record("GeneratedApplicationFinalizerRemoved", spec.name, name,
               "destination cluster not found");
      }
    }
    DeleteOptions options;
    options.cause = "applicationset/" + spec.name;
    Status s = management_.Delete(app.key(), options);
    if (!s.ok()) {
      if (error->empty()) *error = s.message();
      continue;
    }
    ++counts->deleted;
    Record("GeneratedApplicationDeleted", spec.name, name,
           "no longer generated by ApplicationSet " + spec.name);
  }
}

void ApplicationSetController::WriteStatus(const AppSetState& state, const LiveObject& appset,
                                           const std::string& reason, const std::string& error,
                                           bool parameters_generated) {
  Json conditions = Json::array();
  bool failed = !error.empty();
  conditions.push_back(
      {{"type", "ErrorOccurred"},
       {"status", failed ? "True" : "False"},
       {"reason", failed ? reason : "ApplicationSetUpToDate"},
       {"message", failed ? error : "Successfully generated parameters for all Applications"}});
  conditions.push_back(
      {{"type", "ParametersGenerated"},
       {"status", parameters_generated ? "True" : "False"},
       {"reason", parameters_generated ? "ParametersGenerated" : "ErrorOccurred"},
       {"message",
        parameters_generated ? "Successfully generated parameters for all Applications" : error}});
  conditions.push_back(
      {{"type", "ResourcesUpToDate"},
       {"status", failed ? "False" : "True"},
       {"reason", failed ? reason : "ApplicationSetUpToDate"},
       {"message", failed ? error : "All applications have been generated successfully"}});
  for (const std::optional<RolloutCondition>* c :
       {&state.rollout_config, &state.rollout_progressing}) {
    if (!c->has_value()) continue;
    conditions.push_back(
        {{"type", c == &state.rollout_config ? "InvalidRolloutConfig" : "RolloutProgressing"},
         {"status", (*c)->status},
         {"reason", (*c)->reason},
         {"message", (*c)->message}});
  }
  Json app_statuses = Json::array();
  for (const AppSetAppStatus& a : state.app_statuses) {
    app_statuses.push_back(
        {{"application", a.application},
         {"status", a.status},
         {"message", a.message},
         {"step", a.step},
         {"targetRevisions", a.target_revisions},
         {"lastTransitionTime",
          FormatRfc3339Utc(start_unix_ + a.last_transition.micros() / 1000000)}});
  }
  Json status = appset.status().is_object() ? appset.status() : Json::object();
  if (status.value("conditions", Json()) == conditions &&
      status.value("applicationStatus", Json::array()) == app_statuses) {
    return;
  }
  status["conditions"] = conditions;
  if (app_statuses.empty()) {
    status.erase("applicationStatus");
  } else {
    status["applicationStatus"] = app_statuses;
  }
  (void)management_.UpdateStatus(appset.key(), status);
}

}  // namespace fleetsim
