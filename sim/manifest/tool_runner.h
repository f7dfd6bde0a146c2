// Running a config-management tool (kustomize, kubectl, helm) over files of a Git tree, as the
// repo-server does in its checkout. The renderers only talk to this interface: the command line
// passes the real one (ProcessToolRunner), tests pass fakes, and a world built without one has no
// tool installed.
#ifndef FLEETSIM_SIM_MANIFEST_TOOL_RUNNER_H_
#define FLEETSIM_SIM_MANIFEST_TOOL_RUNNER_H_

#include <map>
#include <string>
#include <vector>

#include "engine/status.h"

namespace fleetsim {

struct ToolInvocation {
  std::string program;                       // looked up in $PATH
  std::vector<std::string> args;             // paths in them are relative to the workspace
  std::map<std::string, std::string> files;  // workspace-relative path -> content
  std::string dir;                           // working directory, relative ("" = the workspace)
  // What the workspace's absolute path reads as in the tool's output (Argo CD shows its checkout
  // as "<path to cached source>"), so no temporary name reaches a result.
  std::string workspace_alias;
};

struct ToolOutcome {
  bool found = true;  // false: the program is not installed
  int exit_code = 0;  // 128 + signal when a signal ended it
  std::string out;
  std::string err;
};

class ToolRunner {
 public:
  virtual ~ToolRunner() = default;
  // Writes the files into a fresh workspace, runs the program there and removes the workspace.
  // An error only when the workspace or the process could not be set up.
  virtual Result<ToolOutcome> Run(const ToolInvocation& invocation) = 0;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_TOOL_RUNNER_H_
