// A resource's health as Argo CD reports it: the cluster model's assessment (gitops-engine
// pkg/health, sim/cluster/health.h) is the one definition the sync and deletion code use.
#ifndef FLEETSIM_SIM_ARGOCD_HEALTH_STATUS_H_
#define FLEETSIM_SIM_ARGOCD_HEALTH_STATUS_H_

#include "sim/cluster/health.h"

#endif  // FLEETSIM_SIM_ARGOCD_HEALTH_STATUS_H_
