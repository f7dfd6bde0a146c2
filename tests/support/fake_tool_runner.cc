#include "tests/support/fake_tool_runner.h"

#include <algorithm>

#include "sim/manifest/process_tool_runner.h"

namespace fleetsim::testing_support {

Result<ToolOutcome> FakeToolRunner::Run(const ToolInvocation& invocation) {
  invocations_.push_back(invocation);
  if (std::find(installed_.begin(), installed_.end(), invocation.program) == installed_.end()) {
    ToolOutcome missing;
    missing.found = false;
    return missing;
  }
  return outcome_;
}

bool KustomizeToolInstalled() {
  ProcessToolRunner runner;
  Result<ToolOutcome> kustomize = runner.Run({.program = "kustomize", .args = {"version"}});
  if (kustomize.ok() && kustomize->found) return true;
  Result<ToolOutcome> kubectl = runner.Run({.program = "kubectl", .args = {"version", "--client"}});
  return kubectl.ok() && kubectl->found;
}

}  // namespace fleetsim::testing_support
