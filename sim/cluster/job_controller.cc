// Kubernetes' Job controller (pkg/controller/job): up to `parallelism` pods at a time until
// `completions` succeed (Complete); a failed pod is replaced after the pod failure back-off
// (10 s doubling, at most 6 min); more failures than backoffLimit (default 6) fail the Job
// (Failed, BackoffLimitExceeded), as does running past activeDeadlineSeconds (DeadlineExceeded);
// spec.suspend stops it (Suspended); ttlSecondsAfterFinished deletes it after it finished.
#include <algorithm>

#include "sim/cluster/json_fields.h"
#include "sim/cluster/workload_util.h"
#include "sim/cluster/workloads.h"

namespace fleetsim {
namespace {

bool HasTrueCondition(const Json& status, std::string_view type) {
  const Json* c = FindCondition(status, {"conditions"}, type);
  return c != nullptr && StringAt(*c, {"status"}) == "True";
}

SimDuration PodFailureBackoff(int64_t failures) {
  SimDuration d = SimDuration::Seconds(10);
  for (int64_t i = 1; i < failures && d < SimDuration::Minutes(6); ++i) d = d * 2;
  return std::min(d, SimDuration::Minutes(6));
}

}  // namespace

void WorkloadController::FinishJob(const LiveObject& job, Json status, std::string_view type,
                                   std::string_view reason, std::string_view message,
                                   const std::vector<LiveObject>& active) {
  for (const LiveObject& pod : active) {
    store_.Delete(pod.key(), {Propagation::kBackground, std::string(kCauseGc), ""});
  }
  status["active"] = 0;
  Json conditions = JsonAt(status, {"conditions"});
  std::string now = Now();
  workload::SetCondition(conditions, type, "True", reason, message, now, false);
  conditions.back()["lastProbeTime"] = now;
  status["conditions"] = conditions;
  if (type == "Complete") status["completionTime"] = now;
  workload::DropZeroFields(status);
  store_.UpdateStatus(job.key(), std::move(status));
  JobMemory& memory = jobs_[job.key()];
  memory.finished = sim_.now();
  if (std::optional<int64_t> ttl = IntAt(job.doc(), {"spec", "ttlSecondsAfterFinished"})) {
    WakeAt(job.key(), sim_.now() + SimDuration::Seconds(*ttl));
  }
}

void WorkloadController::ReconcileJob(const LiveObject& job) {
  if (job.being_deleted()) return;
  const Json& spec = JsonAt(job.doc(), {"spec"});
  Json status = job.status().is_object() ? job.status() : Json::object();
  JobMemory& memory = jobs_[job.key()];
  if (HasTrueCondition(status, "Complete") || HasTrueCondition(status, "Failed")) {
    std::optional<int64_t> ttl = IntAt(spec, {"ttlSecondsAfterFinished"});
    if (ttl && memory.finished && *memory.finished + SimDuration::Seconds(*ttl) <= sim_.now()) {
      store_.Delete(job.key(), {Propagation::kBackground, std::string(kCauseGc), ""});
    }
    return;
  }
  std::vector<LiveObject> active;
  int64_t succeeded = 0, failed = 0, ready = 0;
  for (const ObjectKey& k : store_.Dependents(job.uid)) {
    const LiveObject* pod = store_.Find(k);
    if (pod == nullptr || !k.group.empty() || k.kind != "Pod") continue;
    std::string phase = workload::PodPhase(*pod->object);
    if (phase == "Succeeded")
      ++succeeded;
    else if (phase == "Failed")
      ++failed;
    else if (workload::PodActive(*pod)) {
      active.push_back(*pod);
      ready += workload::PodReady(*pod->object) ? 1 : 0;
    }
  }
  if (!status.contains("startTime")) {
    status["startTime"] = Now();
    memory.started = sim_.now();
  }
  if (failed > memory.failed_seen) {
    memory.failed_seen = failed;
    memory.last_failure = sim_.now();
  }
  status["succeeded"] = succeeded;
  status["failed"] = failed;
  status["ready"] = ready;
  status["active"] = active.size();
  if (BoolAt(spec, {"suspend"})) {
    for (const LiveObject& pod : active)
      store_.Delete(pod.key(), {Propagation::kBackground, std::string(kCauseGc), ""});
    status["active"] = 0;
    Json conditions = JsonAt(status, {"conditions"});
    workload::SetCondition(conditions, "Suspended", "True", "JobSuspended", "Job suspended", Now(),
                           false);
    status["conditions"] = conditions;
    workload::DropZeroFields(status);
    if (status != job.status()) store_.UpdateStatus(job.key(), std::move(status));
    return;
  }
  int64_t backoff_limit = IntAt(spec, {"backoffLimit"}, 6);
  if (failed > backoff_limit) {
    FinishJob(job, std::move(status), "Failed", "BackoffLimitExceeded",
              "Job has reached the specified backoff limit", active);
    return;
  }
  if (std::optional<int64_t> deadline = IntAt(spec, {"activeDeadlineSeconds"})) {
    SimTime at = memory.started + SimDuration::Seconds(*deadline);
    if (sim_.now() >= at) {
      FinishJob(job, std::move(status), "Failed", "DeadlineExceeded",
                "Job was active longer than specified deadline", active);
      return;
    }
    WakeAt(job.key(), at);
  }
  int64_t completions = IntAt(spec, {"completions"}, 1);
  if (succeeded >= completions) {
    FinishJob(job, std::move(status), "Complete", "CompletionsReached",
              "Reached expected number of succeeded pods", active);
    return;
  }
  int64_t parallelism = IntAt(spec, {"parallelism"}, 1);
  int64_t want =
      std::min(parallelism, completions - succeeded) - static_cast<int64_t>(active.size());
  SimTime retry_at = memory.last_failure + PodFailureBackoff(failed);
  if (want > 0 && failed > 0 && sim_.now() < retry_at) {
    WakeAt(job.key(), retry_at);
    want = 0;
  }
  for (int64_t i = 0; i < want; ++i) {
    std::map<std::string, std::string> labels = {{"batch.kubernetes.io/controller-uid", job.uid},
                                                 {"batch.kubernetes.io/job-name", job.key().name},
                                                 {"controller-uid", job.uid},
                                                 {"job-name", job.key().name}};
    Json pod =
        workload::PodFromTemplate(JsonAt(spec, {"template"}), job.key().ns, "",
                                  job.key().name + "-", workload::ControllerRef(job), labels);
    if (store_.Create(Object(std::move(pod))).ok()) {
      status["active"] = status["active"].get<int64_t>() + 1;
    }
  }
  workload::DropZeroFields(status);
  if (status != job.status()) store_.UpdateStatus(job.key(), std::move(status));
}

}  // namespace fleetsim
