// A ToolRunner for tests: records each invocation and answers with a set outcome, or runs the real
// tools (ProcessToolRunner) to find out which are installed.
#ifndef FLEETSIM_TESTS_SUPPORT_FAKE_TOOL_RUNNER_H_
#define FLEETSIM_TESTS_SUPPORT_FAKE_TOOL_RUNNER_H_

#include <string>
#include <vector>

#include "sim/manifest/tool_runner.h"

namespace fleetsim::testing_support {

class FakeToolRunner final : public ToolRunner {
 public:
  // Programs not in `installed` are not found.
  explicit FakeToolRunner(std::vector<std::string> installed, ToolOutcome outcome = {})
      : installed_(std::move(installed)), outcome_(std::move(outcome)) {}

  Result<ToolOutcome> Run(const ToolInvocation& invocation) override;

  const std::vector<ToolInvocation>& invocations() const { return invocations_; }

 private:
  std::vector<std::string> installed_;
  ToolOutcome outcome_;
  std::vector<ToolInvocation> invocations_;
};

// Whether `kustomize` or `kubectl` can be run here (the real tools a Kustomize render needs).
bool KustomizeToolInstalled();

}  // namespace fleetsim::testing_support

#endif  // FLEETSIM_TESTS_SUPPORT_FAKE_TOOL_RUNNER_H_
