// The real ToolRunner: a temporary directory and a child process (posix_spawnp, so the program is
// looked up in $PATH). Only the command line creates one.
#ifndef FLEETSIM_SIM_MANIFEST_PROCESS_TOOL_RUNNER_H_
#define FLEETSIM_SIM_MANIFEST_PROCESS_TOOL_RUNNER_H_

#include "sim/manifest/tool_runner.h"

namespace fleetsim {

class ProcessToolRunner final : public ToolRunner {
 public:
  // Every absolute spelling of the workspace in the output (as created and as resolved through
  // symbolic links) is replaced by invocation.workspace_alias.
  Result<ToolOutcome> Run(const ToolInvocation& invocation) override;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_PROCESS_TOOL_RUNNER_H_
