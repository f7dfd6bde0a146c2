#include "sim/argocd/appset_controller.h"

#include "sim/scenario/repo_url.h"

namespace fleetsim {
namespace {

constexpr int kConcurrentReconciliations = 10;  // --concurrent-reconciliations

bool IsKind(const ObjectKey& k, std::string_view kind) {
  return k.group == "argoproj.io" && k.kind == kind;
}

const Json& Field(const Json& doc, const char* a, const char* b = nullptr) {
  static const Json kNull;
  auto it = doc.find(a);
  if (it == doc.end()) return kNull;
  if (b == nullptr) return *it;
  auto jt = it->find(b);
  return jt == it->end() ? kNull : *jt;
}

// The ApplicationSet predicate (shouldRequeueForApplicationSet): spec, labels, annotations,
// finalizers or the deletion changed, not the status this controller writes; with progressive
// syncs, also status.applicationStatus.
bool AppSetChanged(const WatchEvent& e, bool progressive) {
  if (e.type != WatchEventType::kModified || e.previous == nullptr) return true;
  const Json& now = e.object.doc();
  const Json& before = e.previous->doc();
  if (progressive &&
      Field(now, "status", "applicationStatus") != Field(before, "status", "applicationStatus")) {
    return true;
  }
  if (Field(now, "spec") != Field(before, "spec")) return true;
  for (const char* k : {"labels", "annotations", "finalizers", "deletionTimestamp"}) {
    if (Field(now, "metadata", k) != Field(before, "metadata", k)) return true;
  }
  return false;
}

// Owned Applications: a delete, or a change of spec, labels, annotations or finalizers (reference
// 4.1; creates are ignored).
bool OwnedAppChanged(const WatchEvent& e) {
  if (e.type == WatchEventType::kAdded) return false;
  if (e.type == WatchEventType::kDeleted || e.previous == nullptr) return true;
  const Json& now = e.object.doc();
  const Json& before = e.previous->doc();
  if (Field(now, "spec") != Field(before, "spec")) return true;
  for (const char* k : {"labels", "annotations", "finalizers"}) {
    if (Field(now, "metadata", k) != Field(before, "metadata", k)) return true;
  }
  return false;
}

std::string ControllerOwner(const Object& app) {
  for (const OwnerReference& ref : app.owner_references()) {
    if (ref.controller && ref.kind == "ApplicationSet") return ref.name;
  }
  return "";
}

}  // namespace

ApplicationSetController::ApplicationSetController(Simulator& sim, Trace& trace,
                                                   const ArgoCdSettings& settings,
                                                   ClusterApi& management, AppSetSources& sources)
    : sim_(sim),
      trace_(trace),
      settings_(settings),
      management_(management),
      sources_(sources),
      queue_(sim, kConcurrentReconciliations,
             [this](const std::string& name, ProcessorPool<std::string>::Completion done) {
               if (!stopped_) Reconcile(name);
               done();
             }) {}

ApplicationSetController::~ApplicationSetController() {
  if (watch_ != 0) management_.Unwatch(watch_);
  for (auto& [name, state] : states_) {
    if (state.requeue != 0) sim_.Cancel(state.requeue);
  }
}

void ApplicationSetController::Start() {
  watch_ = management_.Watch([this](const WatchEvent& e) { OnEvent(e); });
}

void ApplicationSetController::Stop() {
  stopped_ = true;
  if (watch_ != 0) management_.Unwatch(watch_);
  watch_ = 0;
  for (auto& [name, state] : states_) {
    if (state.requeue != 0) sim_.Cancel(state.requeue);
  }
  states_.clear();
}

void ApplicationSetController::OnEvent(const WatchEvent& e) {
  const ObjectKey& key = e.object.key();
  if (IsKind(key, "ApplicationSet")) {
    if (e.type == WatchEventType::kDeleted) {
      auto it = states_.find(key.name);
      if (it != states_.end()) {
        if (it->second.requeue != 0) sim_.Cancel(it->second.requeue);
        states_.erase(it);
      }
      return;
    }
    if (AppSetChanged(e, progressive_ != nullptr)) Enqueue(key.name);
  } else if (IsKind(key, "Application")) {
    std::string owner = ControllerOwner(*e.object.object);
    if (!owner.empty() && states_.count(owner) != 0 && OwnedAppChanged(e)) Enqueue(owner);
  }
}

void ApplicationSetController::Enqueue(const std::string& name) {
  AppSetState& state = states_[name];
  state.name = name;
  queue_.Add(name);
}

void ApplicationSetController::RequeueAfter(AppSetState& state, SimDuration delay) {
  if (state.requeue != 0) sim_.Cancel(state.requeue);
  state.requeue = 0;
  if (delay <= SimDuration::Zero()) return;
  std::string name = state.name;
  state.requeue = sim_.After(delay, [this, name] {
    auto it = states_.find(name);
    if (it == states_.end()) return;
    it->second.requeue = 0;
    queue_.Add(name);
  });
}

void ApplicationSetController::OnPush(const std::string& repo_url) {
  std::string url = NormalizeRepoUrl(repo_url);
  for (auto& [name, state] : states_) {
    for (const std::string& u : state.repo_urls) {
      if (NormalizeRepoUrl(u) == url) {
        state.no_cache = true;
        queue_.Add(name);
        break;
      }
    }
  }
}

void ApplicationSetController::OnClustersChanged() {
  for (auto& [name, state] : states_) {
    if (state.cluster_generator) queue_.Add(name);
  }
}

std::string ApplicationSetController::ErrorOf(const std::string& appset) const {
  auto it = states_.find(appset);
  return it == states_.end() ? "" : it->second.last_error;
}

void ApplicationSetController::Record(const std::string& event, const std::string& appset,
                                      const std::string& app, const std::string& detail,
                                      bool change) {
  TraceRecord r;
  r.t = sim_.now();
  r.event = event;
  r.cluster = "in-cluster";
  r.app = app;
  r.object = "ApplicationSet/argocd/" + appset;
  r.detail = detail;
  r.change = change;
  trace_.Append(std::move(r));
}

}  // namespace fleetsim

namespace fleetsim {

void ApplicationSetController::Restart(SimDuration downtime) {
  if (stopped_ || restarting_) return;
  restarting_ = true;
  if (watch_ != 0) management_.Unwatch(watch_);
  watch_ = 0;
  for (auto& [name, state] : states_) {
    if (state.requeue != 0) sim_.Cancel(state.requeue);
    state.requeue = 0;
    state.write_failures = 0;
  }
  queue_.set_workers(0);
  sim_.After(downtime, [this] {
    restarting_ = false;
    queue_.set_workers(kConcurrentReconciliations);
    Start();
    Result<std::vector<LiveObject>> listed =
        management_.List({"argoproj.io", "ApplicationSet", std::string("argocd"), {}});
    if (!listed.ok()) return;
    std::set<std::string> present;
    for (const LiveObject& appset : *listed) present.insert(appset.key().name);
    std::erase_if(states_, [&](const auto& entry) { return present.count(entry.first) == 0; });
    for (const std::string& name : present) Enqueue(name);
  });
}

}  // namespace fleetsim
