// The Sealed Secrets model: key ring, ciphertexts and scopes, the controller's unseal, status,
// retries and restarts (reference rollouts-secrets.md 2.1-2.6; bitnami-labs/sealed-secrets
// pkg/controller/controller.go, keyregistry.go).
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include "sim/manifest/json.h"

#include "engine/simulator.h"
#include "sim/cluster/object_store.h"
#include "sim/secrets/sealed_base64.h"
#include "sim/secrets/sealed_ciphertexts.h"
#include "sim/secrets/sealed_controller.h"
#include "sim/secrets/sealed_keys.h"

namespace fleetsim::secrets {
namespace {

constexpr int64_t kStart = 1767225600;  // 2026-01-01T00:00:00Z
const std::string kPassword = Base64Encode(std::string("\x02\x00", 2) + "ciphertext-password");
const std::string kUser = Base64Encode(std::string("\x02\x00", 2) + "ciphertext-username");

SimTime Day(int64_t d) { return SimTime::Zero() + SimDuration::Days(d); }

Json Sealed(const std::string& ns, const std::string& name, Json annotations = Json::object()) {
  Json doc = {{"apiVersion", "bitnami.com/v1alpha1"},
              {"kind", "SealedSecret"},
              {"metadata", {{"name", name}, {"namespace", ns}}},
              {"spec",
               {{"encryptedData", {{"password", kPassword}, {"username", kUser}}},
                {"template",
                 {{"type", "kubernetes.io/basic-auth"},
                  {"metadata", {{"labels", {{"app", "checkout"}}}}}}}}}};
  if (!annotations.empty()) doc["metadata"]["annotations"] = annotations;
  return doc;
}

struct Record {
  std::string event;
  std::string object;
  std::string detail;
};

// One cluster with Sealed Secrets installed, a "shop" namespace and the controller started.
class SealedFixture : public ::testing::Test {
 protected:
  SealedFixture() : store_("c1", sim_, kStart) {
    store_.Bootstrap({"sealed-secrets"});
    (void)store_.Create(Object(
        Json{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "shop"}}}}));
    MakeController(SimDuration::Days(30));
  }

  void MakeController(SimDuration renewal) {
    controller_ = std::make_unique<SealedSecretController>(
        sim_, store_, keys_, ciphertexts_, SealedSecretsConfig{"c1", false, renewal, kStart},
        [this](std::string_view e, const ObjectKey& k, std::string d) {
          records_.push_back({std::string(e), k.ToString(), std::move(d)});
        });
    controller_->Start(/*quiet=*/true);
  }

  void Apply(const Json& doc) {
    ASSERT_TRUE(store_.Apply(Object(doc)).ok());
    sim_.RunUntil(sim_.now() + SimDuration::Seconds(1));
  }
  void Advance(SimDuration d) { sim_.RunUntil(sim_.now() + d); }

  Json Condition(const std::string& ns, const std::string& name) {
    const LiveObject* ss = store_.Find({"bitnami.com", "SealedSecret", ns, name});
    if (ss == nullptr || !ss->status().is_object()) return nullptr;
    return ss->status()["conditions"][0];
  }
  const LiveObject* Secret(const std::string& ns, const std::string& name) {
    return store_.Find({"", "Secret", ns, name});
  }
  // Deletes every key Secret and restarts the controller (the keys are lost).
  void LoseKeys() {
    for (const Json& k : controller_->KeySecrets()) {
      ASSERT_TRUE(store_.Delete({"", "Secret", "kube-system", k["metadata"]["name"]}).ok());
    }
    controller_->Restart();
    Advance(SimDuration::Seconds(1));
  }
  int Count(const std::string& event) {
    int n = 0;
    for (const Record& r : records_) n += r.event == event;
    return n;
  }

  Simulator sim_;
  ObjectStore store_;
  KeyAuthority keys_;
  CiphertextIndex ciphertexts_;
  std::unique_ptr<SealedSecretController> controller_;
  std::vector<Record> records_;
};

// 2.1: one key at start, stored as a labelled kubernetes.io/tls Secret in kube-system.
TEST_F(SealedFixture, StartGeneratesOneKeySecret) {
  ASSERT_EQ(controller_->keys().size(), 1u);
  std::vector<Json> secrets = controller_->KeySecrets();
  ASSERT_EQ(secrets.size(), 1u);
  EXPECT_EQ(secrets[0]["type"], "kubernetes.io/tls");
  EXPECT_EQ(secrets[0]["metadata"]["labels"][std::string(kKeyLabel)], "active");
  EXPECT_EQ(secrets[0]["metadata"]["name"].get<std::string>().rfind("sealed-secrets-key", 0), 0u);
}

// 2.1: a new key every 30 days, old keys kept; the newest seals.
TEST_F(SealedFixture, RenewalAddsKeysAndKeepsOldOnes) {
  Advance(SimDuration::Days(61));
  ASSERT_EQ(controller_->keys().size(), 3u);
  EXPECT_EQ(controller_->keys()[1].not_before, Day(30));
  EXPECT_EQ(controller_->keys()[2].not_before, Day(60));
  EXPECT_EQ(keys_.ActiveAt("c1", Day(29))->id, controller_->keys()[0].id);
  EXPECT_EQ(keys_.ActiveAt("c1", Day(45))->id, controller_->keys()[1].id);
}

// 2.1: a key labelled anything but "active" (e.g. compromised) is not loaded.
TEST_F(SealedFixture, KeyLabelledCompromisedIsIgnored) {
  Json key = controller_->KeySecrets()[0];
  key["metadata"]["labels"][std::string(kKeyLabel)] = "compromised";
  EXPECT_FALSE(KeyFromSecret(key, kStart).has_value());
}

// 2.1 / issue #1588: a restored key older than the renew period gets a new key at once.
TEST_F(SealedFixture, RestoredOldKeyIsRenewedAtStart) {
  Advance(SimDuration::Days(20));
  std::vector<Json> backup = controller_->KeySecrets();
  MakeController(SimDuration::Days(10));  // a controller with a shorter period starts
  controller_->Restart();
  EXPECT_EQ(controller_->keys().size(), 1u);
  Advance(SimDuration::Seconds(1));
  EXPECT_EQ(controller_->keys().size(), 2u);
}

// Shared keys: every cluster's renewal at the same instant gets the same key.
TEST(KeyAuthorityTest, SharedOwnerGetsOneKeyPerInstant) {
  KeyAuthority keys;
  SealingKey a = keys.Generate("shared", Day(0));
  SealingKey b = keys.Generate("shared", Day(0));
  SealingKey c = keys.Generate("shared", Day(30));
  EXPECT_EQ(a.id, b.id);
  EXPECT_NE(a.id, c.id);
  EXPECT_NE(keys.Generate("c1", Day(0)).id, keys.Generate("c1", Day(0)).id);
}

// 2.3: success creates the Secret from spec.template, owned by the SealedSecret; Synced=True.
TEST_F(SealedFixture, UnsealCreatesOwnedSecret) {
  Apply(Sealed("shop", "db"));
  const LiveObject* secret = Secret("shop", "db");
  ASSERT_NE(secret, nullptr);
  EXPECT_EQ(secret->doc()["type"], "kubernetes.io/basic-auth");
  EXPECT_EQ(secret->doc()["metadata"]["labels"]["app"], "checkout");
  EXPECT_TRUE(secret->doc()["data"].contains("password"));
  EXPECT_EQ(secret->doc()["metadata"]["ownerReferences"][0]["kind"], "SealedSecret");
  EXPECT_EQ(Condition("shop", "db")["status"], "True");
  EXPECT_EQ(Count("SealedSecretUnsealed"), 1);
}

// 2.4: keys lost, the controller starts with a fresh key: Synced=False with upstream's message,
// the Secret unsealed before stays with its data.
TEST_F(SealedFixture, LostKeysFailAndLeaveTheSecret) {
  Apply(Sealed("shop", "db"));
  Json before = Secret("shop", "db")->doc()["data"];
  LoseKeys();
  EXPECT_EQ(Condition("shop", "db")["status"], "False");
  EXPECT_EQ(Condition("shop", "db")["message"], "no key could decrypt secret (password, username)");
  ASSERT_NE(Secret("shop", "db"), nullptr);
  EXPECT_EQ(Secret("shop", "db")->doc()["data"], before);
  EXPECT_EQ(records_.back().detail,
            "ErrUnsealFailed: Failed to unseal: no key could decrypt secret (password, username)");
}

// 2.2: a strict SealedSecret moved to another name cannot be opened.
TEST_F(SealedFixture, StrictScopeBindsNamespaceAndName) {
  Apply(Sealed("shop", "db"));
  Apply(Sealed("shop", "db-renamed"));
  EXPECT_EQ(Condition("shop", "db-renamed")["status"], "False");
  EXPECT_EQ(Secret("shop", "db-renamed"), nullptr);
}

// 2.2: namespace-wide may be renamed, not moved; cluster-wide may be moved anywhere.
TEST_F(SealedFixture, WiderScopesAllowRenameAndMove) {
  ASSERT_TRUE(
      store_
          .Create(Object(
              Json{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", "other"}}}}))
          .ok());
  Json ns_wide = {{"sealedsecrets.bitnami.com/namespace-wide", "true"}};
  Apply(Sealed("shop", "a", ns_wide));
  Apply(Sealed("shop", "b", ns_wide));
  Apply(Sealed("other", "a", ns_wide));
  EXPECT_EQ(Condition("shop", "b")["status"], "True");
  EXPECT_EQ(Condition("other", "a")["status"], "False");

  CiphertextIndex index;
  Json cluster_wide = Sealed("shop", "a",
                             {{"sealedsecrets.bitnami.com/cluster-wide", "true"},
                              {"sealedsecrets.bitnami.com/namespace-wide", "true"}});
  EXPECT_EQ(ScopeOf(cluster_wide), SealScope::kClusterWide);  // cluster-wide wins
  index.RecordDocuments({cluster_wide}, Day(0));
  keys_.Hold("c2", {"c2-1", Day(0)});
  Json moved = cluster_wide;
  moved["metadata"]["namespace"] = "other";
  moved["metadata"]["name"] = "z";
  EXPECT_TRUE(index.Unseal(moved, "c2", {"c2-1"}, keys_, Day(1)).ok);
}

// 2.2: changing the scope after sealing changes the label: nothing opens. (A change of the
// object's own annotations alone is not a spec change, so it is not even retried: 2.3.)
TEST_F(SealedFixture, ScopeChangedAfterSealingFails) {
  Apply(Sealed("shop", "db"));
  Json widened = Sealed("shop", "db");
  widened["spec"]["template"]["metadata"]["annotations"] = {
      {"sealedsecrets.bitnami.com/namespace-wide", "true"}};
  Apply(widened);
  EXPECT_EQ(Condition("shop", "db")["status"], "False");
}

// A value that is not base64 fails with Go's decoding error.
TEST_F(SealedFixture, CorruptValueFailsToDecode) {
  Json doc = Sealed("shop", "db");
  doc["spec"]["encryptedData"]["password"] = "AgB*bad";
  Apply(doc);
  EXPECT_EQ(Condition("shop", "db")["message"], "illegal base64 data at input byte 3");
}

// A manifest sealed with another cluster's certificate (fleetsim.io/sealed-for).
TEST_F(SealedFixture, SealedForAnotherClusterFails) {
  keys_.Hold("staging", {"staging-1", Day(0)});
  Apply(Sealed("shop", "db", {{std::string(kSealedForAnnotation), "staging"}}));
  EXPECT_EQ(Condition("shop", "db")["status"], "False");
}

// 2.3: after six failed attempts (155 ms) it gives up; a key restored in the store is not used
// until a restart; the restart unseals.
TEST_F(SealedFixture, GivesUpUntilRestart) {
  std::vector<Json> backup = controller_->KeySecrets();
  ciphertexts_.RecordDocuments({Sealed("shop", "db")}, sim_.now());  // committed with key 1
  Advance(SimDuration::Minutes(1));
  LoseKeys();
  Apply(Sealed("shop", "db"));
  uint64_t before = sim_.events_processed();
  Advance(SimDuration::Hours(1));
  EXPECT_EQ(sim_.events_processed(), before);  // no periodic retry
  for (const Json& k : backup) ASSERT_TRUE(store_.Create(Object(k)).ok());
  Advance(SimDuration::Hours(1));
  EXPECT_EQ(Condition("shop", "db")["status"], "False");
  controller_->Restart();
  Advance(SimDuration::Seconds(1));
  EXPECT_EQ(Condition("shop", "db")["status"], "True");
  ASSERT_NE(Secret("shop", "db"), nullptr);
}

// 2.3: the retries: 5 requeues after the first attempt, 5 ms doubling.
TEST_F(SealedFixture, RetriesFiveTimesThenStops) {
  ciphertexts_.RecordDocuments({Sealed("shop", "db")}, sim_.now());
  Advance(SimDuration::Minutes(1));
  LoseKeys();
  uint64_t before = sim_.events_processed();
  ASSERT_TRUE(store_.Apply(Object(Sealed("shop", "db"))).ok());
  sim_.RunUntil(sim_.now() + SimDuration::Millis(154));
  uint64_t early = sim_.events_processed();
  sim_.RunUntil(sim_.now() + SimDuration::Millis(2));
  // flush + 5 retry timers and their flushes
  EXPECT_EQ(sim_.events_processed() - before, 11u);
  EXPECT_EQ(early - before, 9u);
}

// 2.3: a spec change tries again.
TEST_F(SealedFixture, SpecChangeRetries) {
  Json doc = Sealed("shop", "db");
  doc["spec"]["encryptedData"]["password"] = "AgB*bad";
  Apply(doc);
  EXPECT_EQ(Condition("shop", "db")["status"], "False");
  Apply(Sealed("shop", "db"));
  EXPECT_EQ(Condition("shop", "db")["status"], "True");
}

// 2.3: an unowned Secret of that name is not touched; the managed annotation adopts it.
TEST_F(SealedFixture, ExistingUnmanagedSecretIsNotTouched) {
  Json secret = {{"apiVersion", "v1"},
                 {"kind", "Secret"},
                 {"metadata", {{"name", "db"}, {"namespace", "shop"}}},
                 {"data", {{"password", "b2xk"}}}};
  Apply(secret);
  Apply(Sealed("shop", "db"));
  EXPECT_EQ(Condition("shop", "db")["message"],
            "failed update: Resource \"db\" already exists and is not managed by SealedSecret");
  EXPECT_EQ(Secret("shop", "db")->doc()["data"]["password"], "b2xk");
  secret["metadata"]["annotations"] = {{"sealedsecrets.bitnami.com/managed", "true"}};
  Apply(secret);
  controller_->Restart();
  Advance(SimDuration::Seconds(1));
  EXPECT_EQ(Condition("shop", "db")["status"], "True");
  EXPECT_NE(Secret("shop", "db")->doc()["data"]["password"], "b2xk");
}

// 2.3: a deleted owned Secret is re-created from the watch.
TEST_F(SealedFixture, DeletedSecretIsRecreated) {
  Apply(Sealed("shop", "db"));
  ASSERT_TRUE(store_.Delete({"", "Secret", "shop", "db"}).ok());
  Advance(SimDuration::Seconds(1));
  EXPECT_NE(Secret("shop", "db"), nullptr);
}

// 2.5: a backup restored before the controller starts opens what the lost key sealed.
TEST_F(SealedFixture, RestoredBackupOpensAgain) {
  Apply(Sealed("shop", "db"));
  std::vector<Json> backup = controller_->KeySecrets();
  for (const Json& k : backup) {
    ASSERT_TRUE(store_.Delete({"", "Secret", "kube-system", k["metadata"]["name"]}).ok());
  }
  for (const Json& k : backup) ASSERT_TRUE(store_.Create(Object(k)).ok());
  controller_->Restart();
  Advance(SimDuration::Seconds(1));
  EXPECT_EQ(controller_->keys().size(), 1u);
  EXPECT_EQ(Condition("shop", "db")["status"], "True");
}

// 2.6: re-encryption seals again with the newest key, same plaintext; a controller that only
// has the newest key opens the new ciphertext and not the old.
TEST_F(SealedFixture, ReEncryptUsesTheNewestKey) {
  Apply(Sealed("shop", "db"));
  Json plain = Secret("shop", "db")->doc()["data"];
  Advance(SimDuration::Days(31));
  ASSERT_EQ(controller_->keys().size(), 2u);
  Json resealed = Sealed("shop", "db");
  for (const char* item : {"password", "username"}) {
    std::string fresh = ciphertexts_.Reseal(resealed["spec"]["encryptedData"][item], sim_.now());
    std::string error;
    EXPECT_TRUE(Base64Decode(fresh, &error).has_value()) << error;
    resealed["spec"]["encryptedData"][item] = fresh;
  }
  std::set<std::string> newest = {controller_->keys().back().id};
  EXPECT_TRUE(ciphertexts_.Unseal(resealed, "c1", newest, keys_, sim_.now()).ok);
  EXPECT_FALSE(ciphertexts_.Unseal(Sealed("shop", "db"), "c1", newest, keys_, sim_.now()).ok);
  Apply(resealed);
  EXPECT_EQ(Secret("shop", "db")->doc()["data"], plain);
}

TEST(SealedBase64Test, GoErrors) {
  std::string error;
  EXPECT_EQ(*Base64Decode(Base64Encode("hello"), &error), "hello");
  EXPECT_EQ(*Base64Decode("aGk=", &error), "hi");
  EXPECT_FALSE(Base64Decode("abc", &error));  // a cut-short quantum: its start
  EXPECT_EQ(error, "illegal base64 data at input byte 0");
  EXPECT_FALSE(Base64Decode("ab=c", &error));  // "==" expected
  EXPECT_EQ(error, "illegal base64 data at input byte 2");
  EXPECT_FALSE(Base64Decode("aGk=aGk=", &error));  // data after padding
  EXPECT_EQ(error, "illegal base64 data at input byte 4");
}

}  // namespace
}  // namespace fleetsim::secrets
