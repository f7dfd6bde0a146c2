// The External Secrets Operator against a cluster model: creation and deletion policies, the
// provider failure effects, conditions, refresh timing and backoff, store kinds. Each test names
// the rule it checks (reference rollouts-secrets.md section, or the upstream file).
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "sim/manifest/json.h"

#include "sim/cluster/json_fields.h"
#include "sim/cluster/workloads.h"
#include "sim/secrets/eso_provider.h"
#include "sim/secrets/external_secrets_controller.h"

namespace fleetsim::eso {
namespace {

constexpr int64_t kStart = 1767225600;  // 2026-01-01T00:00:00Z

SimTime At(int64_t seconds) { return SimTime::Zero() + SimDuration::Seconds(seconds); }

std::vector<SecretStoreSpec> Stores() {
  SecretStoreSpec vault;
  vault.name = "vault";
  RemoteSecretSpec db;
  db.is_map = true;
  db.properties = {{"username", "app"}, {"password", "pw1"}};
  vault.keys["db"] = db;
  RemoteSecretSpec token;
  token.value = "tok";
  vault.keys["token"] = token;
  return {vault};
}

Json StoreDoc(const std::string& kind, const std::string& name, Json spec = Json::object()) {
  Json doc = {{"apiVersion", "external-secrets.io/v1"},
              {"kind", kind},
              {"metadata", {{"name", name}}},
              {"spec", std::move(spec)}};
  if (kind == "SecretStore") doc["metadata"]["namespace"] = "default";
  return doc;
}

// ExternalSecret "es" reading db.password (as PASSWORD) and token (as TOKEN) from SecretStore
// "vault"; `target` merges into spec.target.
Json EsDoc(Json target = Json::object(), Json extra = Json::object()) {
  Json doc = {
      {"apiVersion", "external-secrets.io/v1"},
      {"kind", "ExternalSecret"},
      {"metadata", {{"name", "es"}, {"namespace", "default"}}},
      {"spec",
       {{"secretStoreRef", {{"name", "vault"}}},
        {"target", std::move(target)},
        {"data",
         {{{"secretKey", "PASSWORD"}, {"remoteRef", {{"key", "db"}, {"property", "password"}}}},
          {{"secretKey", "TOKEN"}, {"remoteRef", {{"key", "token"}}}}}}}}};
  doc["spec"].update(extra);
  return doc;
}

class EsoTest : public ::testing::Test {
 public:
  EsoTest()
      : stores(Stores()),
        providers(stores),
        store("c1", sim, kStart),
        controller(
            sim, store, providers, kStart,
            [this](std::string_view event, const ObjectKey& key, std::string detail, bool change) {
              events.push_back(std::string(event) + " " + key.name + ": " + detail +
                               (change ? "" : " (repeat)"));
            }) {
    store.Bootstrap({"external-secrets"});
  }

  void Apply(const Json& doc) { ASSERT_TRUE(store.Apply(Object(doc)).ok()) << doc.dump(); }
  void Run(int64_t seconds) { sim.RunUntil(At(seconds)); }
  // The store "vault" and the ExternalSecret, applied at t=0 and synced.
  void Start(Json target = Json::object(), Json extra = Json::object()) {
    Apply(StoreDoc("SecretStore", "vault"));
    Apply(EsDoc(std::move(target), std::move(extra)));
    Run(10);
  }
  const LiveObject* Secret(const std::string& name = "es") const {
    return store.Find({"", "Secret", "default", name});
  }
  std::string Data(const std::string& key, const std::string& name = "es") const {
    const LiveObject* s = Secret(name);
    return s ? StringAt(s->doc(), {"data", key}) : "<no secret>";
  }
  Json Ready(const std::string& kind = "ExternalSecret", const std::string& name = "es",
             const std::string& ns = "default") const {
    const LiveObject* o = store.Find({"external-secrets.io", kind, ns, name});
    const Json* c = o ? FindCondition(o->doc(), {"status", "conditions"}, "Ready") : nullptr;
    return c ? *c : Json();
  }
  std::string Reason() const { return StringAt(Ready(), {"reason"}); }
  std::string Message() const { return StringAt(Ready(), {"message"}); }
  std::vector<std::string> Events(const std::string& prefix) const {
    std::vector<std::string> out;
    for (const std::string& e : events) {
      if (e.rfind(prefix, 0) == 0) out.push_back(e);
    }
    return out;
  }

  std::vector<SecretStoreSpec> stores;
  SecretProviders providers;
  Simulator sim;
  ObjectStore store;
  ExternalSecretsController controller;
  std::vector<std::string> events;
};

// pkg/controllers/common/common.go BuildRateLimiter: 1 s doubling, at most 7 min (not
// controller-runtime's 5 ms default); reference 3.3.
TEST(FailureBackoffTest, OneSecondDoublingToSevenMinutes) {
  std::vector<int64_t> seconds;
  for (int n = 1; n <= 11; ++n) seconds.push_back(FailureBackoff(n).micros() / 1'000'000);
  EXPECT_EQ(seconds, (std::vector<int64_t>{1, 2, 4, 8, 16, 32, 64, 128, 256, 420, 420}));
}

// Reference 3.6 Owner, 3.2 SecretSynced: the Secret (default name: the ExternalSecret's) with a
// controller ownerReference, the managed label and data hash; status refreshTime,
// syncedResourceVersion, binding. Deleting the ExternalSecret garbage-collects the Secret.
TEST_F(EsoTest, OwnerCreatesOwnedSecretAndStatus) {
  Start();
  ASSERT_NE(Secret(), nullptr);
  EXPECT_EQ(Data("PASSWORD"), "cHcx");  // base64("pw1")
  EXPECT_EQ(Data("TOKEN"), "dG9r");
  const Json& doc = Secret()->doc();
  EXPECT_EQ(StringAt(doc, {"metadata", "labels", "reconcile.external-secrets.io/managed"}), "true");
  EXPECT_FALSE(StringAt(doc, {"metadata", "annotations", "reconcile.external-secrets.io/data-hash"})
                   .empty());
  const Json& ref = JsonAt(doc, {"metadata", "ownerReferences"})[0];
  EXPECT_EQ(StringAt(ref, {"kind"}), "ExternalSecret");
  EXPECT_TRUE(BoolAt(ref, {"controller"}));
  EXPECT_EQ(StringAt(Ready(), {"status"}), "True");
  EXPECT_EQ(Reason(), "SecretSynced");
  EXPECT_EQ(Message(), "secret synced");
  Json status = store.Find({"external-secrets.io", "ExternalSecret", "default", "es"})->status();
  EXPECT_EQ(StringAt(status, {"refreshTime"}), "2026-01-01T00:00:00Z");
  EXPECT_EQ(StringAt(status, {"syncedResourceVersion"}).substr(0, 2), "1-");
  EXPECT_EQ(StringAt(status, {"binding", "name"}), "es");
  ASSERT_TRUE(store.Delete({"external-secrets.io", "ExternalSecret", "default", "es"}).ok());
  EXPECT_EQ(Secret(), nullptr);
}

// Reference 3.3 flood gate: an ExternalSecret reconciled before its store was validated fails
// ("is not ready") and retries after 1 s.
TEST_F(EsoTest, FloodGateRetriesUntilStoreIsReady) {
  Apply(EsDoc());
  Run(0);
  EXPECT_EQ(Reason(), "SecretSyncedError");
  EXPECT_EQ(Message(), "could not get secret data from provider");
  ASSERT_FALSE(Events("ExternalSecretReady").empty());
  EXPECT_NE(
      Events("ExternalSecretReady")[0].find("secretstores.external-secrets.io \"vault\" not found"),
      std::string::npos);
  Apply(StoreDoc("SecretStore", "vault"));
  Run(0);
  EXPECT_EQ(Reason(), "SecretSynced");  // the store turning Ready requeues its users at once
}

// Reference 3.3 / 3.6: an Owner target deleted by hand is re-created at once (Secret watch); an
// Orphan one only at the next refresh (issue #4297).
TEST_F(EsoTest, DeletedTargetOwnerAtOnceOrphanAtRefresh) {
  Start();
  ASSERT_TRUE(store.Delete({"", "Secret", "default", "es"}).ok());
  Run(11);
  EXPECT_NE(Secret(), nullptr);

  Json orphan = EsDoc({{"creationPolicy", "Orphan"}, {"name", "orphan"}});
  orphan["metadata"]["name"] = "es2";
  Apply(orphan);
  Run(20);
  ASSERT_NE(Secret("orphan"), nullptr);
  EXPECT_TRUE(JsonAt(Secret("orphan")->doc(), {"metadata", "ownerReferences"}).empty());
  ASSERT_TRUE(store.Delete({"", "Secret", "default", "orphan"}).ok());
  Run(3000);
  EXPECT_EQ(Secret("orphan"), nullptr);
  Run(3620);  // synced at t=11, refreshed 1h later
  EXPECT_NE(Secret("orphan"), nullptr);
}

// Reference 3.1 target.template (engine v2, mergePolicy Replace): only the templated keys, Go
// templates over the fetched keys; type and labels from the template.
TEST_F(EsoTest, TemplateDataTypeAndLabels) {
  Start({{"template",
          {{"type", "kubernetes.io/basic-auth"},
           {"metadata", {{"labels", {{"team", "payments"}}}}},
           {"data", {{"dsn", "postgres://app:{{ .PASSWORD | upper }}@db"}}}}}});
  ASSERT_NE(Secret(), nullptr);
  EXPECT_EQ(Data("dsn"), "cG9zdGdyZXM6Ly9hcHA6UFcxQGRi");  // base64("postgres://app:PW1@db")
  EXPECT_EQ(Data("PASSWORD"), "");
  EXPECT_EQ(StringAt(Secret()->doc(), {"type"}), "kubernetes.io/basic-auth");
  EXPECT_EQ(StringAt(Secret()->doc(), {"metadata", "labels", "team"}), "payments");
  Apply(EsDoc({{"template", {{"data", {{"dsn", "{{ .NOPE }}"}}}}}}));
  Run(20);
  EXPECT_EQ(Reason(), "SecretSyncedError");
  EXPECT_EQ(Message(), "could not update secret");
}

// Reference 3.6 Merge: never creates (Ready True SecretMissing); merges into an existing Secret,
// keeping its other keys and taking no ownership. None: writes nothing.
TEST_F(EsoTest, MergeAndNonePolicies) {
  Start({{"creationPolicy", "Merge"}});
  EXPECT_EQ(Secret(), nullptr);
  EXPECT_EQ(StringAt(Ready(), {"status"}), "True");
  EXPECT_EQ(Reason(), "SecretMissing");
  EXPECT_EQ(Message(), "secret will not be created due to CreationPolicy=Merge");
  Apply({{"apiVersion", "v1"},
         {"kind", "Secret"},
         {"metadata", {{"name", "es"}, {"namespace", "default"}}},
         {"data", {{"OTHER", "eA=="}}}});
  Apply(EsDoc({{"creationPolicy", "Merge"}}, {{"refreshInterval", "30m"}}));  // spec change
  Run(20);
  EXPECT_EQ(Reason(), "SecretSynced");
  EXPECT_EQ(Data("OTHER"), "eA==");
  EXPECT_EQ(Data("PASSWORD"), "cHcx");
  EXPECT_TRUE(JsonAt(Secret()->doc(), {"metadata", "ownerReferences"}).empty());

  Apply(EsDoc({{"creationPolicy", "None"}, {"name", "none"}}));
  Run(30);
  EXPECT_EQ(Secret("none"), nullptr);
  EXPECT_EQ(Reason(), "SecretSynced");
}

// Reference 3.4: the provider down (network) at a refresh: Ready False SecretSyncedError "could
// not get secret data from provider", the Secret keeps its data, retries 1 s, 2 s, 4 s ...;
// back up: synced again.
TEST_F(EsoTest, StoreDownKeepsLastDataAndBacksOff) {
  Start({}, {{"refreshInterval", "10m"}});
  std::string before = Data("PASSWORD");
  providers.SetDown("", "vault", "network", true);
  Run(601);
  EXPECT_EQ(StringAt(Ready(), {"status"}), "False");
  EXPECT_EQ(Reason(), "SecretSyncedError");
  EXPECT_EQ(Message(), "could not get secret data from provider");
  EXPECT_EQ(Data("PASSWORD"), before);
  Run(700);
  std::vector<std::string> fails = Events("ExternalSecretReady es: False");
  ASSERT_GE(fails.size(), 4u);
  EXPECT_NE(fails[0].find("SecretStore \"vault\" is not ready"), std::string::npos) << fails[0];
  EXPECT_NE(Events("SecretStoreReady vault: False")[0].find("context deadline exceeded"),
            std::string::npos);
  EXPECT_NE(fails[0].find("retry in 1s"), std::string::npos) << fails[0];
  EXPECT_NE(fails[1].find("retry in 2s"), std::string::npos) << fails[1];
  EXPECT_NE(fails[1].find("(repeat)"), std::string::npos);
  EXPECT_NE(Secret(), nullptr);
  providers.SetDown("", "vault", "network", false);
  Run(2000);
  EXPECT_EQ(Reason(), "SecretSynced");
}

// Reference 3.2 store reasons: auth failing gives "could not get provider client", network
// "unable to validate store"; both InvalidProviderConfig, re-validated every 5 min.
TEST_F(EsoTest, StoreConditionsByFailureMode) {
  Start();
  EXPECT_EQ(StringAt(Ready("SecretStore", "vault"), {"reason"}), "Valid");
  EXPECT_EQ(StringAt(Ready("SecretStore", "vault"), {"message"}), "store validated");
  providers.SetDown("", "vault", "auth", true);
  Run(299);
  EXPECT_EQ(StringAt(Ready("SecretStore", "vault"), {"status"}), "True");
  Run(301);
  EXPECT_EQ(StringAt(Ready("SecretStore", "vault"), {"reason"}), "InvalidProviderConfig");
  EXPECT_EQ(StringAt(Ready("SecretStore", "vault"), {"message"}), "could not get provider client");
  providers.SetDown("", "vault", "auth", false);
  providers.SetDown("", "vault", "network", true);
  Run(400);
  EXPECT_EQ(StringAt(Ready("SecretStore", "vault"), {"message"}), "unable to validate store");
  EXPECT_EQ(Reason(), "SecretSynced");  // not due: the ExternalSecret keeps its state
}

// Reference 3.3: refreshInterval 0 syncs once; a spec change syncs at once.
TEST_F(EsoTest, RefreshIntervalZeroSyncsOncePerSpecChange) {
  Start({{"deletionPolicy", "Delete"}}, {{"refreshInterval", "0"}});
  providers.SetKeyDeleted("", "vault", "db", true);
  providers.SetKeyDeleted("", "vault", "token", true);
  Run(20000);
  EXPECT_NE(Secret(), nullptr);
  Apply(EsDoc({{"deletionPolicy", "Delete"}}, {{"refreshInterval", "0s"}}));
  Run(20001);
  EXPECT_EQ(Secret(), nullptr);
  EXPECT_EQ(Reason(), "SecretDeleted");
}

// Reference 3.1 / 3.5 refreshPolicy: OnChange and CreatedOnce never refresh on a timer (a
// deleted key is not noticed); OnChange syncs on a spec change, CreatedOnce does not.
TEST_F(EsoTest, RefreshPolicyOnChangeAndCreatedOnce) {
  Start({{"deletionPolicy", "Delete"}}, {{"refreshPolicy", "OnChange"}, {"refreshInterval", "1m"}});
  providers.SetKeyDeleted("", "vault", "db", true);
  providers.SetKeyDeleted("", "vault", "token", true);
  Run(7200);
  EXPECT_NE(Secret(), nullptr);
  Apply(EsDoc({{"deletionPolicy", "Delete"}}, {{"refreshPolicy", "CreatedOnce"}}));
  Run(7201);
  EXPECT_NE(Secret(), nullptr);  // CreatedOnce: synced once already
  Apply(EsDoc({{"deletionPolicy", "Delete"}}, {{"refreshPolicy", "OnChange"}}));
  Run(7202);
  EXPECT_EQ(Secret(), nullptr);
  EXPECT_EQ(Reason(), "SecretDeleted");
}

// Reference 3.1: a store's own spec.refreshInterval (seconds) replaces the 5 min re-validation.
TEST_F(EsoTest, StoreRefreshInterval) {
  Apply(StoreDoc("SecretStore", "vault", {{"refreshInterval", 60}}));
  Run(1);
  providers.SetDown("", "vault", "network", true);
  Run(59);
  EXPECT_EQ(StringAt(Ready("SecretStore", "vault"), {"status"}), "True");
  Run(60);
  EXPECT_EQ(StringAt(Ready("SecretStore", "vault"), {"status"}), "False");
}

// Reference 3.5: a deleted remote key with Retain (default): SecretSyncedError, Secret kept.
// With Delete: a partly missing result rewrites the Secret without the key; all missing deletes
// it (Ready True SecretDeleted). Detected at the next refresh (Periodic).
TEST_F(EsoTest, RemoteKeyDeletedByDeletionPolicy) {
  Start({}, {{"refreshInterval", "10m"}});
  providers.SetKeyDeleted("", "vault", "token", true);
  Run(590);
  EXPECT_EQ(Reason(), "SecretSynced");
  Run(610);
  EXPECT_EQ(Reason(), "SecretSyncedError");
  EXPECT_EQ(Data("TOKEN"), "dG9r");

  Apply(EsDoc({{"deletionPolicy", "Delete"}}, {{"refreshInterval", "10m"}}));
  Run(620);
  EXPECT_EQ(Reason(), "SecretSynced");
  EXPECT_EQ(Data("TOKEN"), "");
  EXPECT_EQ(Data("PASSWORD"), "cHcx");
  providers.SetKeyDeleted("", "vault", "db", true);
  Run(1300);
  EXPECT_EQ(Secret(), nullptr);
  EXPECT_EQ(StringAt(Ready(), {"status"}), "True");
  EXPECT_EQ(Reason(), "SecretDeleted");
  EXPECT_EQ(Message(), "secret deleted due to DeletionPolicy=Delete");
}

// Reference 3.5: Delete only deletes what it owns; deletionPolicy Merge removes the missing
// keys and keeps the Secret.
TEST_F(EsoTest, DeleteNeedsOwnerMergeRemovesKeys) {
  Start({{"creationPolicy", "Orphan"}, {"deletionPolicy", "Merge"}}, {{"refreshInterval", "10m"}});
  providers.SetKeyDeleted("", "vault", "db", true);
  providers.SetKeyDeleted("", "vault", "token", true);
  Run(610);
  ASSERT_NE(Secret(), nullptr);
  EXPECT_EQ(Data("PASSWORD"), "");
  EXPECT_EQ(Reason(), "SecretSynced");
  Apply(EsDoc({{"creationPolicy", "Orphan"}, {"deletionPolicy", "Delete"}}));
  Run(620);
  EXPECT_NE(Secret(), nullptr);
  EXPECT_EQ(Reason(), "SecretSyncedError");
  EXPECT_EQ(Message(), "could not delete secret");
}

// ClusterSecretStore spec.conditions (reference 3.1): a namespace outside them cannot use it.
TEST_F(EsoTest, ClusterStoreNamespaceConditions) {
  Apply(
      StoreDoc("ClusterSecretStore", "vault", {{"conditions", {{{"namespaces", {"payments"}}}}}}));
  Apply(EsDoc({}, {{"secretStoreRef", {{"kind", "ClusterSecretStore"}, {"name", "vault"}}}}));
  Run(5);
  EXPECT_EQ(Reason(), "SecretSyncedError");
  EXPECT_NE(Events("ExternalSecretReady")[0].find(
                "using cluster store \"vault\" is not allowed from namespace \"default\""),
            std::string::npos)
      << Events("ExternalSecretReady")[0];
  Apply(StoreDoc("ClusterSecretStore", "vault",
                 {{"conditions", {{{"namespaceRegexes", {"^def"}}}}}}));
  Run(600);
  EXPECT_EQ(Reason(), "SecretSynced");
  EXPECT_EQ(StringAt(Ready("ClusterSecretStore", "vault", ""), {"reason"}), "Valid");
}

// kubectl rollout restart (DESIGN.md actions): the backoff is forgotten, everything reconciled.
TEST_F(EsoTest, RestartRetriesAtOnce) {
  Start({}, {{"refreshInterval", "1m"}});
  providers.SetDown("", "vault", "network", true);
  Run(1200);  // backoff now minutes long
  providers.SetDown("", "vault", "network", false);
  EXPECT_EQ(Reason(), "SecretSyncedError");
  controller.Restart();
  Run(1200);
  EXPECT_EQ(StringAt(Ready("SecretStore", "vault"), {"status"}), "True");
  EXPECT_EQ(Reason(), "SecretSynced");
}

// Reference section 3 consequence (issue 6 scope 3): a pod referencing the Secret of an
// ExternalSecret whose store is unreachable does not start until the Secret exists.
TEST_F(EsoTest, PodsWaitForTheSecret) {
  WorkloadConfig config;
  config.pod_startup = {SimDuration::Seconds(5), SimDuration::Seconds(5)};
  WorkloadController workloads(sim, store, 7, config);
  providers.SetDown("", "vault", "network", true);
  Apply(StoreDoc("SecretStore", "vault"));
  Apply(EsDoc());
  Apply(
      {{"apiVersion", "v1"},
       {"kind", "Pod"},
       {"metadata", {{"name", "p"}, {"namespace", "default"}}},
       {"spec",
        {{"containers",
          {{{"name", "c"}, {"image", "i"}, {"envFrom", {{{"secretRef", {{"name", "es"}}}}}}}}}}}});
  Run(600);
  const LiveObject* pod = store.Find({"", "Pod", "default", "p"});
  EXPECT_EQ(StringAt(pod->doc(), {"status", "phase"}), "Pending");
  providers.SetDown("", "vault", "network", false);
  Run(1200);
  pod = store.Find({"", "Pod", "default", "p"});
  EXPECT_NE(Secret(), nullptr);
  EXPECT_EQ(StringAt(pod->doc(), {"status", "phase"}), "Running");
}

}  // namespace
}  // namespace fleetsim::eso
