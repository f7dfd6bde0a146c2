// Kubernetes label selectors (metav1.LabelSelector): matchLabels and matchExpressions with the
// In, NotIn, Exists and DoesNotExist operators, all requirements ANDed.
#ifndef FLEETSIM_SIM_CLUSTER_LABEL_SELECTOR_H_
#define FLEETSIM_SIM_CLUSTER_LABEL_SELECTOR_H_

#include <map>
#include <string>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/status.h"

namespace fleetsim {

class LabelSelector {
 public:
  enum class Op { kIn, kNotIn, kExists, kDoesNotExist };
  struct Requirement {
    std::string key;
    Op op = Op::kExists;
    std::vector<std::string> values;  // sorted
  };

  // Matches every label set (an empty selector, `{}`).
  LabelSelector() = default;
  // Matches no label set (Kubernetes' nil selector, e.g. a Service without spec.selector).
  static LabelSelector Nothing();
  // Equality on every pair (a Service's spec.selector, a ReplicaSet's matchLabels).
  static LabelSelector FromMap(const std::map<std::string, std::string>& labels);
  // A metav1.LabelSelector document; null gives Nothing(). The error names the bad part.
  static Result<LabelSelector> FromJson(const Json& selector);

  bool Matches(const std::map<std::string, std::string>& labels) const;
  bool matches_nothing() const { return nothing_; }
  bool empty() const { return !nothing_ && requirements_.empty(); }
  const std::vector<Requirement>& requirements() const { return requirements_; }

  // The selector as `kubectl get -l` writes it: "app=web,tier in (a,b),!legacy".
  std::string ToString() const;

 private:
  std::vector<Requirement> requirements_;  // sorted by key, then operator
  bool nothing_ = false;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_CLUSTER_LABEL_SELECTOR_H_
