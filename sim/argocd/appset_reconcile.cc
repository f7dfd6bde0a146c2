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

const nlohmann::json& Meta(const nlohmann::json& doc, const char* key) {
  static const nlohmann::json kNull;
  auto m = doc.find("metadata");
  if (m == doc.end()) return kNull;
  auto it = m->find(key);
  return it == m->end() ? kNull : *it;
}

std::string Str(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : ""; }

nlohmann::json OwnerRef(const LiveObject& appset) {
  return {{"apiVersion", "argoproj.io/v1alpha1"},
          {"kind", "ApplicationSet"},
          {"name", appset.key().name},
          {"uid", appset.uid},
          {"controller", true},
          {"blockOwnerDeletion", true}};
}

// Copies `keys` of `from` (an existing Application's labels or annotations) into `into`.
void Preserve(const nlohmann::json& from, const std::vector<std::string>& keys,
              nlohmann::json& into) {
  if (!from.is_object()) return;
  for (const std::string& k : keys) {
    auto it = from.find(k);
    if (it == from.end()) continue;
    if (!into.is_object()) into = nlohmann::json::object();
    into[k] = *it;
  }
}

// The Application `existing` becomes once the generated one is written over it.
nlohmann::json UpdatedDoc(const AppSetSpec& spec, const LiveObject& appset,
                          const nlohmann::json& existing, const nlohmann::json& desired) {
  nlohmann::json doc = existing;
  doc["spec"] = desired.value("spec", nlohmann::json::object());
  nlohmann::json annotations = Meta(desired, "annotations");
  nlohmann::json labels = Meta(desired, "labels");
  std::vector<std::string> keep_annotations = spec.preserved_annotations;
  for (const char* a : kPreservedAnnotations) keep_annotations.emplace_back(a);
  Preserve(Meta(existing, "annotations"), keep_annotations, annotations);
  Preserve(Meta(existing, "labels"), spec.preserved_labels, labels);
  nlohmann::json finalizers = Meta(desired, "finalizers");
  if (!finalizers.is_array()) finalizers = nlohmann::json::array();
  for (const nlohmann::json& f : Meta(existing, "finalizers")) {
    for (const char* prefix : kPreservedFinalizers) {
      if (Str(f).rfind(prefix, 0) == 0) finalizers.push_back(f);
    }
  }
  nlohmann::json& meta = doc["metadata"];
  auto set_or_erase = [&](const char* key, const nlohmann::json& value) {
    if (value.is_null() || value.empty()) {
      meta.erase(key);
    } else {
      meta[key] = value;
    }
  };
  set_or_erase("annotations", annotations);
  set_or_erase("labels", labels);
  set_or_erase("finalizers", finalizers);
  // SetControllerReference: replaces a controller reference to this ApplicationSet or adds one.
  nlohmann::json refs = nlohmann::json::array();
  for (const nlohmann::json& ref : Meta(existing, "ownerReferences")) {
    if (Str(ref.value("kind", nlohmann::json())) == "ApplicationSet" &&
        Str(ref.value("name", nlohmann::json())) == appset.key().name) {
      continue;
    }
    refs.push_back(ref);
  }
  refs.push_back(OwnerRef(appset));
  meta["ownerReferences"] = refs;
  return doc;
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
  Result<AppSetSpec> parsed = ParseAppSetSpec(live->doc());
  if (!parsed.ok()) return Fail(state, *live, "ApplicationParamsGenerationError", parsed.error());
  AppSetSpec spec = std::move(parsed).value();
  spec.uid = live->uid;
  state.repo_urls.clear();
  state.cluster_generator = live->doc().dump().find("\"clusters\"") != std::string::npos;
  std::string text = live->doc()["spec"].dump();
  for (size_t at = text.find("\"repoURL\":\""); at != std::string::npos;
       at = text.find("\"repoURL\":\"", at + 1)) {
    size_t start = at + 11;
    state.repo_urls.push_back(text.substr(start, text.find('"', start) - start));
  }
  if (live->being_deleted()) return ReconcileDeletion(*live, spec);

  if (!spec.unrecognized_generators.empty()) {
    std::string warning = UnrecognizedGeneratorsMessage(spec);
    Record("ApplicationSetWarning", name, "", warning, warning != state.last_warning);
    state.last_warning = warning;
  }
  GenerateOptions options;
  options.no_revision_cache = no_cache;
  GeneratedApps generated = GenerateApplications(spec, sources_, options);
  if (!generated.errors.empty()) {
    return Fail(state, *live, generated.errors.front().reason, generated.errors.front().message);
  }
  ValidationResult validation = ValidateApplications(spec, generated.apps, sources_);
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
  std::vector<nlohmann::json> valid;
  for (const nlohmann::json& app : generated.apps) {
    if (validation.invalid.count(Str(Meta(app, "name"))) == 0) valid.push_back(app);
  }
  std::stable_sort(valid.begin(), valid.end(),
                   [](const nlohmann::json& a, const nlohmann::json& b) {
                     return Str(Meta(a, "name")) < Str(Meta(b, "name"));
                   });

  std::map<std::string, bool> syncs;
  if (rolling) syncs = SyncDesiredApplications(state, to_sync, &valid);

  AppSetPolicy policy = EffectivePolicy(spec, settings_.applications_sync_policy,
                                        settings_.applications_sync_policy_override);
  Counts counts;
  std::string write_error;
  std::set<std::string> existing;
  for (const LiveObject& app : OwnedApplications(spec)) existing.insert(app.key().name);
  for (const nlohmann::json& app : valid) {
    bool exists = existing.count(Str(Meta(app, "name"))) != 0;
    if (!AllowsUpdate(policy) && exists) continue;  // createInCluster: only what is missing
    CreateOrUpdate(spec, *live, app, AllowsUpdate(policy), &counts, &write_error);
  }
  TriggerSyncs(state, syncs);
  if (write_error.empty() && AllowsDelete(policy)) {
    DeleteStale(spec, generated.apps, &counts, &write_error);
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
      nlohmann::json patch = {{"metadata", {{"ownerReferences", nullptr}}}};
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

void ApplicationSetController::CreateOrUpdate(const AppSetSpec& spec, const LiveObject& appset,
                                              const nlohmann::json& desired, bool update,
                                              Counts* counts, std::string* error) {
  std::string name = Str(Meta(desired, "name"));
  ObjectKey key{"argoproj.io", "Application", spec.ns, name};
  Result<LiveObject> found = management_.Get(key);
  if (!found.ok()) {
    nlohmann::json doc = desired;
    doc["metadata"]["ownerReferences"] = nlohmann::json::array({OwnerRef(appset)});
    Result<LiveObject> created = management_.Create(Object(doc));
    if (!created.ok()) {
      if (error->empty()) *error = created.error();
      return;
    }
    ++counts->created;
    Record("ApplicationGenerated", spec.name, name, "created by ApplicationSet " + spec.name);
    return;
  }
  if (!update) return;
  nlohmann::json doc = MergeFromIgnoring(spec.ignore_differences, found->doc(),
                                         UpdatedDoc(spec, appset, found->doc(), desired));
  if (doc == found->doc()) return;
  Result<LiveObject> updated = management_.Update(Object(doc));
  if (!updated.ok()) {
    if (error->empty()) *error = updated.error();
    return;
  }
  ++counts->updated;
  Record("GeneratedApplicationUpdated", spec.name, name, "updated by ApplicationSet " + spec.name);
}

void ApplicationSetController::DeleteStale(const AppSetSpec& spec,
                                           const std::vector<nlohmann::json>& generated,
                                           Counts* counts, std::string* error) {
  std::set<std::string> wanted;
  for (const nlohmann::json& app : generated) wanted.insert(Str(Meta(app, "name")));
  for (const LiveObject& app : OwnedApplications(spec)) {
    const std::string& name = app.key().name;
    if (wanted.count(name) != 0 || app.being_deleted()) continue;
    const nlohmann::json& dest = app.doc()
                                     .value("spec", nlohmann::json::object())
                                     .value("destination", nlohmann::json::object());
    const auto& finalizers = app.object->finalizers();
    bool has_finalizer =
        std::find(finalizers.begin(), finalizers.end(), kResourcesFinalizer) != finalizers.end();
    if (has_finalizer && !sources_
                              .ResolveDestination(Str(dest.value("server", nlohmann::json())),
                                                  Str(dest.value("name", nlohmann::json())))
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
  nlohmann::json conditions = nlohmann::json::array();
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
  nlohmann::json app_statuses = nlohmann::json::array();
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
  nlohmann::json status = appset.status().is_object() ? appset.status() : nlohmann::json::object();
  if (status.value("conditions", nlohmann::json()) == conditions &&
      status.value("applicationStatus", nlohmann::json::array()) == app_statuses) {
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
