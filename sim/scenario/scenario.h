// The scenario as data: what a scenario file says, validated and with every default filled in.
// Built only by LoadScenario (scenario_loader.h); everything downstream reads it and never the
// YAML.
#ifndef FLEETSIM_SIM_SCENARIO_SCENARIO_H_
#define FLEETSIM_SIM_SCENARIO_SCENARIO_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/sim_time.h"

namespace fleetsim {

// Where a scenario element was written; 1-based. Messages about it read "file:line:column: ...".
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
  std::string ToString() const;  // "file:line:column"
};

// One scalar, list of scalars, or map of scalars from an open-ended field (a fault's or an
// action's arguments). The loader has already checked the field's name and shape for its kind.
struct ParamValue {
  enum class Shape { kScalar, kList, kMap };
  Shape shape = Shape::kScalar;
  std::string scalar;
  std::vector<std::string> list;
  std::map<std::string, std::string> map;
  SourcePos pos;
};
using Params = std::map<std::string, ParamValue>;

struct PodStartup {
  SimDuration min = SimDuration::Seconds(5);
  SimDuration max = SimDuration::Seconds(30);
};

struct ClusterSpec {
  std::string name;
  std::string server;  // defaults to https://<name>.fleet.invalid
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  PodStartup pod_startup;
  SourcePos pos;
};

struct FleetSpec {
  std::vector<ClusterSpec> clusters;  // `generate` entries expanded, in file order
  // Add-ons whose CRDs and controllers are on every fleet cluster.
  std::vector<std::string> preinstalled = {"argo-rollouts", "external-secrets", "sealed-secrets"};
  bool sealed_secrets_shared_keys = false;
  SimDuration sealed_secrets_key_renewal = SimDuration::Days(30);
};

// Controller settings; every default is Argo CD 3.5's own (reference/argocd.md 1.1, 1.7, 4.1).
struct ArgoCdSettings {
  SimDuration reconcile_interval = SimDuration::Seconds(120);  // timeout.reconciliation
  SimDuration reconcile_jitter = SimDuration::Seconds(60);     // timeout.reconciliation.jitter
  SimDuration hard_reconcile_interval = SimDuration::Zero();   // timeout.hard.reconciliation (off)
  SimDuration appset_requeue = SimDuration::Seconds(180);
  SimDuration repo_error_grace_period = SimDuration::Seconds(180);
  SimDuration self_heal_backoff_timeout = SimDuration::Seconds(2);
  int64_t self_heal_backoff_factor = 3;
  SimDuration self_heal_backoff_cap = SimDuration::Seconds(300);
  SimDuration sync_wave_delay = SimDuration::Seconds(2);  // ARGOCD_SYNC_WAVE_DELAY
  int64_t status_processors = 20;
  int64_t operation_processors = 10;
  int64_t controller_replicas = 1;
  int64_t kubectl_parallelism_limit = 20;
  int64_t repo_server_parallelism = 0;   // reposerver.parallelism.limit; 0 = unlimited
  std::string applications_sync_policy;  // "" = none (sync), create-only, create-update,
                                         // create-delete, sync
  bool applications_sync_policy_override = true;
  // applicationsetcontroller.enable.progressive.syncs (--enable-progressive-syncs): off, as in
  // Argo CD, so a RollingSync strategy is ignored unless the scenario turns it on.
  bool appset_progressive_syncs = false;
  double kube_client_qps = 50;
  int64_t kube_client_burst = 100;
  std::string sharding_algorithm = "legacy";  // legacy, round-robin, consistent-hashing
};

// A real repository's first-parent history to replay (sim/git/git_replay.h says how).
struct ReplaySpec {
  std::string from;                  // "" = the root of `to`'s first-parent history
  std::string to;                    // "" = HEAD
  std::optional<SimDuration> every;  // unset = the commits' own times
  SourcePos from_pos;                // of the `from` / `to` value, or of `replay:` when absent
  SourcePos to_pos;
};

struct RepoSpec {
  std::string name;  // the key under `repos:`
  std::string url;
  std::string tree;  // absolute path of a directory, or empty
  std::string git;   // absolute path of a Git repository, or empty
  std::optional<ReplaySpec> replay;
  bool webhook = false;
  SourcePos pos;
  SourcePos git_pos;  // of the `git` value
};

struct BootstrapEntry {
  std::string repo;
  std::string path;
  std::string cluster = "in-cluster";
  SourcePos pos;
};

// One change inside a history commit.
struct HistoryOp {
  enum class Kind { kWrite, kDelete, kRename, kSetImage, kSet };
  Kind kind = Kind::kWrite;
  std::string path;       // write, delete, set-image, set; rename: the source
  std::string to;         // rename: the destination
  std::string content;    // write
  std::string container;  // set-image
  std::string image;      // set-image
  std::string field;      // set: dotted path, e.g. spec.template.spec.containers[0].image
  std::string value;      // set: the new value as YAML text (a scalar, or a flow map/list)
  std::string select;     // set: "Kind/name" picking one document, or empty
  SourcePos pos;
};

struct HistoryEntry {
  SimTime at;
  std::string repo;
  std::string message;
  std::vector<HistoryOp> ops;
  SourcePos pos;
};

// A fault (reference: DESIGN.md "Faults"). Its target and kind-specific arguments are in params,
// already checked against the kind's allowed fields.
struct FaultSpec {
  SimTime at;
  std::string kind;
  std::optional<SimDuration> duration;  // `for`: the fault heals after it
  Params params;
  SourcePos pos;
};

// A random fault schedule: `{random: {kinds, rate, seed-stream, ...}}`.
struct RandomFaultSpec {
  std::vector<std::string> kinds;
  double rate_per_hour = 0;
  std::string seed_stream = "chaos";
  Params params;  // the rest: target globs, duration ranges
  SourcePos pos;
};

struct ActionSpec {
  SimTime at;
  std::string verb;  // `do`, e.g. "argocd app sync"
  Params params;
  SourcePos pos;
};

// One image's behaviour under user traffic (traffic.default and traffic.images). `rps` is a
// Service's request rate and is read from `default` only (per Service in TrafficSpec::services).
struct TrafficProfile {
  std::optional<double> rps;
  std::optional<double> success_rate;
  std::optional<SimDuration> latency_p99;
  std::optional<double> success_rate_noise;  // each answer: successRate ± U(0, noise), clamped
  std::optional<double> latency_noise;       // each answer: latencyP99 × (1 ± U(0, noise))
};

struct TrafficSpec {
  TrafficProfile defaults = {100.0, 0.999, SimDuration::Millis(120), 0.0, 0.0};
  std::map<std::string, TrafficProfile> images;
  // Request rate per Service, keyed "name" (any namespace) or "namespace/name".
  std::map<std::string, double> services;
  // The random stream the noise draws from, per cluster: "<seedStream>/<cluster>".
  std::string seed_stream = "traffic";
};

// One remote secret of an External Secrets provider (secretStores.<store>.keys.<key>): a plain
// value, or a map of properties (what remoteRef.property picks and dataFrom.extract expands).
struct RemoteSecretSpec {
  std::string value;                              // when !is_map
  std::map<std::string, std::string> properties;  // when is_map
  bool is_map = false;
};

// What one provider store holds: the keys a SecretStore / ClusterSecretStore of that name (on any
// cluster, in any namespace) can read. A store the scenario does not declare has every key it is
// asked for (sim/secrets/eso_provider.h).
struct SecretStoreSpec {
  std::string name;
  std::map<std::string, RemoteSecretSpec> keys;
  SourcePos pos;
};

struct Expectation {
  enum class Op { kEq, kMin, kMax, kNull };
  std::string metric;
  Op op = Op::kEq;
  double value = 0;
  SourcePos pos;
};

struct Scenario {
  std::string file;  // absolute path of the scenario file
  std::string name;
  std::string description;
  uint64_t seed = 0;
  int64_t start_unix_seconds = 1767225600;  // 2026-01-01T00:00:00Z
  std::string start_text = "2026-01-01T00:00:00Z";
  SimDuration duration = SimDuration::Hours(1);
  FleetSpec fleet;
  ArgoCdSettings argocd;
  std::vector<RepoSpec> repos;  // sorted by name
  std::vector<BootstrapEntry> bootstrap;
  std::vector<HistoryEntry> history;  // sorted by (at, file order)
  std::vector<FaultSpec> faults;
  std::vector<RandomFaultSpec> random_faults;
  std::vector<ActionSpec> actions;  // sorted by (at, file order)
  TrafficSpec traffic;
  std::vector<SecretStoreSpec> secret_stores;  // sorted by name
  std::vector<Expectation> expectations;       // in file order; {min, max} gives two
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_SCENARIO_SCENARIO_H_
