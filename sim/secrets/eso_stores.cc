// SecretStore and ClusterSecretStore (external-secrets pkg/controllers/secretstore common.go:
// validate, set the Ready condition, requeue after the store's refresh interval; reference 3.1,
// 3.2) and the store an ExternalSecret may use (clientmanager: the kind, namespace, the
// ClusterSecretStore's spec.conditions, the flood gate).
#include <regex>

#include <fmt/format.h>

#include "sim/cluster/json_fields.h"
#include "sim/cluster/label_selector.h"
#include "sim/secrets/external_secrets_controller.h"

namespace fleetsim::eso {
namespace {

constexpr std::string_view kGroup = "external-secrets.io";
// --store-requeue-interval's default.
constexpr SimDuration kStoreRequeue = SimDuration::Seconds(300);

const Json* ReadyCondition(const Json& doc) {
  return FindCondition(doc, {"status", "conditions"}, "Ready");
}

// ClusterSecretStore spec.conditions: none means every namespace; otherwise a namespace must
// match one condition's namespaceSelector, namespaces or namespaceRegexes.
bool NamespaceAllowed(const Json& conditions, const Json& ns_labels, const std::string& ns) {
  if (!conditions.is_array() || conditions.empty()) return true;
  for (const Json& c : conditions) {
    const Json& selector = JsonAt(c, {"namespaceSelector"});
    if (selector.is_object()) {
      Result<LabelSelector> parsed = LabelSelector::FromJson(selector);
      std::map<std::string, std::string> labels;
      if (ns_labels.is_object()) {
        for (const auto& [k, v] : ns_labels.items()) {
          if (v.is_string()) labels[k] = v.get<std::string>();
        }
      }
      if (parsed.ok() && parsed->Matches(labels)) return true;
    }
    for (const Json& name : JsonAt(c, {"namespaces"})) {
      if (name.is_string() && name.get<std::string>() == ns) return true;
    }
    for (const Json& pattern : JsonAt(c, {"namespaceRegexes"})) {
      if (!pattern.is_string()) continue;
      try {
        if (std::regex_search(ns, std::regex(pattern.get<std::string>()))) return true;
      } catch (const std::regex_error&) {
      }
    }
  }
  return false;
}

}  // namespace

void ExternalSecretsController::ReconcileStore(const LiveObject& live) {
  const ObjectKey& key = live.key();
  std::optional<std::string> outage = providers_.Outage(store_.cluster(), key.name);
  std::string status = "True", reason = "Valid", message = "store validated";
  if (outage) {
    bool auth = outage->find("403") != std::string::npos;
    status = "False";
    reason = "InvalidProviderConfig";
    message = auth ? "could not get provider client" : "unable to validate store";
  }
  const Json* before = ReadyCondition(live.doc());
  bool same = before != nullptr && StringAt(*before, {"status"}) == status &&
              StringAt(*before, {"reason"}) == reason && StringAt(*before, {"message"}) == message;
  if (!same) {
    std::string since = before != nullptr && StringAt(*before, {"status"}) == status
                            ? StringAt(*before, {"lastTransitionTime"})
                            : store_.Timestamp(sim_.now());
    Json st = live.status().is_object() ? live.status() : Json::object();
    st["conditions"] = Json::array({{{"type", "Ready"},
                                     {"status", status},
                                     {"reason", reason},
                                     {"message", message},
                                     {"lastTransitionTime", since}}});
    st["capabilities"] = "ReadWrite";
    (void)store_.UpdateStatus(key, std::move(st));
  }
  std::string detail = fmt::format("{} {}: {}", status, reason, message);
  if (outage) detail += ": " + *outage;
  sink_("SecretStoreReady", key, detail, !same);
  if (outage) {
    Backoff(key);
    return;
  }
  failures_.erase(key);
  int64_t every = IntAt(live.doc(), {"spec", "refreshInterval"}, 0);
  RequeueAfter(key, every > 0 ? SimDuration::Seconds(every) : kStoreRequeue);
  if (!same) EnqueueUsers(live);
}

// The ExternalSecrets that name `store` (a store that became ready lets them sync at once).
void ExternalSecretsController::EnqueueUsers(const LiveObject& live) {
  ListOptions options{std::string(kGroup), "ExternalSecret", std::nullopt, {}};
  if (live.key().kind == "SecretStore") options.ns = live.key().ns;
  Result<std::vector<LiveObject>> all = store_.List(options);
  if (!all.ok()) return;
  for (const LiveObject& es : *all) {
    std::string kind = StringAt(es.doc(), {"spec", "secretStoreRef", "kind"});
    if (kind.empty()) kind = "SecretStore";
    if (kind == live.key().kind &&
        StringAt(es.doc(), {"spec", "secretStoreRef", "name"}) == live.key().name) {
      Enqueue(es.key());
    }
  }
}

Result<LiveObject> ExternalSecretsController::UsableStore(const LiveObject& es) const {
  std::string kind = StringAt(es.doc(), {"spec", "secretStoreRef", "kind"});
  if (kind.empty()) kind = "SecretStore";
  std::string name = StringAt(es.doc(), {"spec", "secretStoreRef", "name"});
  bool cluster = kind == "ClusterSecretStore";
  ObjectKey key{std::string(kGroup), kind, cluster ? "" : es.key().ns, name};
  const LiveObject* found = store_.Find(key);
  if (found == nullptr) {
    return Status::Error(fmt::format("{}.external-secrets.io \"{}\" not found",
                                     cluster ? "clustersecretstores" : "secretstores", name));
  }
  if (cluster) {
    const LiveObject* ns = store_.Find({"", "Namespace", "", es.key().ns});
    Json labels = ns != nullptr ? JsonAt(ns->doc(), {"metadata", "labels"}) : Json();
    if (!NamespaceAllowed(JsonAt(found->doc(), {"spec", "conditions"}), labels, es.key().ns)) {
      return Status::Error(
          fmt::format("using cluster store \"{}\" is not allowed from namespace \"{}\": denied by "
                      "spec.condition",
                      name, es.key().ns));
    }
  }
  const Json* ready = ReadyCondition(found->doc());
  if (ready == nullptr || StringAt(*ready, {"status"}) != "True") {
    return Status::Error(fmt::format("{} \"{}\" is not ready", kind, name));
  }
  return *found;
}

}  // namespace fleetsim::eso
