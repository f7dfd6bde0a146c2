// Building Kubernetes objects for the Argo CD tests: from YAML text (the upstream examples are
// pasted as they are) or from a few fields.
#ifndef FLEETSIM_TESTS_ARGOCD_TEST_OBJECTS_H_
#define FLEETSIM_TESTS_ARGOCD_TEST_OBJECTS_H_

#include <map>
#include <string>
#include <vector>

#include "sim/manifest/object.h"

namespace fleetsim::testing {

// Every document of `yaml` as an Object (scalars become JSON strings; enough for these tests).
std::vector<ObjectPtr> FromYaml(const std::string& yaml);

// An object with apiVersion, kind, metadata.name/namespace and annotations.
ObjectPtr MakeObject(const std::string& api_version, const std::string& kind,
                     const std::string& name, const std::string& ns = "",
                     const std::map<std::string, std::string>& annotations = {});

// A CustomResourceDefinition for spec.group / spec.names.kind.
ObjectPtr MakeCrd(const std::string& group, const std::string& kind);

// A copy of `obj` with one more annotation.
ObjectPtr Annotate(const ObjectPtr& obj, const std::string& key, const std::string& value);

}  // namespace fleetsim::testing

#endif  // FLEETSIM_TESTS_ARGOCD_TEST_OBJECTS_H_
