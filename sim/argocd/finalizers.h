// The finalizers Argo CD puts on Applications (reference/argocd.md 3.1).
#ifndef FLEETSIM_SIM_ARGOCD_FINALIZERS_H_
#define FLEETSIM_SIM_ARGOCD_FINALIZERS_H_

#include <string_view>

namespace fleetsim {

inline constexpr std::string_view kResourcesFinalizer = "resources-finalizer.argocd.argoproj.io";
inline constexpr std::string_view kForegroundResourcesFinalizer =
    "resources-finalizer.argocd.argoproj.io/foreground";
inline constexpr std::string_view kBackgroundResourcesFinalizer =
    "resources-finalizer.argocd.argoproj.io/background";
inline constexpr std::string_view kPreDeleteFinalizer = "pre-delete-finalizer.argocd.argoproj.io";
inline constexpr std::string_view kPostDeleteFinalizer = "post-delete-finalizer.argocd.argoproj.io";

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_FINALIZERS_H_
