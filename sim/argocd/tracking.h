// Resource tracking: how Argo CD marks the live objects an Application manages. Argo CD 3.x
// defaults to annotation tracking (application.resourceTrackingMethod: annotation): each applied
// object carries `argocd.argoproj.io/tracking-id: <app>:<group>/<kind>:<namespace>/<name>`.
#ifndef FLEETSIM_SIM_ARGOCD_TRACKING_H_
#define FLEETSIM_SIM_ARGOCD_TRACKING_H_

#include <optional>
#include <string>
#include <string_view>

#include "sim/manifest/object.h"

namespace fleetsim {

inline constexpr std::string_view kAnnotationTrackingId = "argocd.argoproj.io/tracking-id";

// The tracking id of `key` for the Application `app` (installation-namespace apps: the bare name).
std::string TrackingId(std::string_view app, const ObjectKey& key);

// The app named by `obj`'s tracking id, when it has one that matches the object's own identity
// (a copied annotation on another object does not make it tracked).
std::optional<std::string> TrackedBy(const Object& obj);

// `target` as Argo CD applies it for `app`: the namespace defaulted to `dest_namespace` for
// namespaced kinds without one, and the tracking annotation set. `namespaced` says whether the
// kind is namespaced on the destination.
ObjectPtr PrepareTarget(const Object& target, std::string_view app, std::string_view dest_namespace,
                        bool namespaced);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_TRACKING_H_
