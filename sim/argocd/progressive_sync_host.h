// What the ApplicationSet controller's progressive syncs (reference/argocd.md 4.6) need of the
// application controller: an Application's status as a watcher of the Application object reads it,
// and the sync operation RollingSync writes into .operation.
#ifndef FLEETSIM_SIM_ARGOCD_PROGRESSIVE_SYNC_HOST_H_
#define FLEETSIM_SIM_ARGOCD_PROGRESSIVE_SYNC_HOST_H_

#include <optional>
#include <string>
#include <vector>

#include "engine/sim_time.h"
#include "engine/status.h"

namespace fleetsim {

// What the ApplicationSet controller reads of one Application's status (.status.sync, .health,
// .reconciledAt, .operationState, .conditions).
struct AppProgressView {
  std::string sync = "Unknown";        // Synced, OutOfSync, Unknown
  std::string health = "Missing";      // Healthy, Progressing, Degraded, ...
  std::vector<std::string> revisions;  // status.sync.revision(s)
  std::optional<SimTime> reconciled_at;
  std::optional<SimTime> operation_started_at;  // of the running or last operation
  std::string operation_phase;                  // "" when none yet
  bool operation_running = false;
  bool has_error = false;  // an InvalidSpecError or UnknownError condition
};

// The application controller as progressive syncs see it: its status of an Application, and the
// sync operation the ApplicationSet controller writes into .operation.
class ProgressiveSyncHost {
 public:
  virtual ~ProgressiveSyncHost() = default;
  virtual std::optional<AppProgressView> ProgressView(const std::string& app) const = 0;
  // syncApplication: initiatedBy applicationset-controller (automated), retry from the spec else
  // {limit: 5}, prune as the template's automated.prune.
  virtual Status SyncFromAppSet(const std::string& app, bool prune) = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_PROGRESSIVE_SYNC_HOST_H_
