// Arguments of fault kinds and action verbs. Each kind or verb is a row of a table naming the
// arguments it takes, their types and which must be given together; one reader checks them all.
#ifndef FLEETSIM_SIM_SCENARIO_COMMAND_ARGS_H_
#define FLEETSIM_SIM_SCENARIO_COMMAND_ARGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/load_sections.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/yaml_reader.h"

namespace fleetsim {

enum class ArgType {
  kText,           // a non-empty string
  kPattern,        // a name or a glob (*, ?, [...]), not checked against anything
  kCluster,        // a fleet cluster, in-cluster, or a glob
  kRepo,           // a declared repo
  kRepoPath,       // a relative path inside a repo
  kFile,           // a file relative to the scenario file; stored absolute
  kObject,         // Kind/namespace/name or Kind/name
  kKindName,       // Kind/name
  kBool,           // true or false
  kDuration,       // greater than 0; stored in FormatDuration form
  kDurationRange,  // a duration, or {min, max}
  kFraction,       // a number in [0, 1]
  kPositive,       // a number greater than 0
  kReplicas,       // an integer in [1, 1000]
  kLabels,         // a map of Kubernetes labels
  kFieldValues,    // a map of field path -> any YAML value (stored as YAML text)
  kChoice,         // one of ArgSpec::choices
  kChoiceList,     // a list of ArgSpec::choices
};

struct ArgSpec {
  std::string_view name;
  ArgType type;
  std::vector<std::string_view> choices = {};
};

struct CommandSpec {
  std::string_view name;
  std::vector<ArgSpec> args;
  // The arguments that must be given together; exactly one form must be complete, and no
  // argument of another form may be added. Empty: every argument is optional.
  std::vector<std::vector<std::string_view>> forms = {};
  bool heals = false;  // faults: takes `for`
};

// The controllers `controller-restart` and `kubectl rollout restart` name.
const std::vector<std::string_view>& ControllerNames();

const CommandSpec* FindCommand(const std::vector<CommandSpec>& table, std::string_view name);
std::vector<std::string> CommandNames(const std::vector<CommandSpec>& table);

// Fails on a key of `entry` that is neither in `fixed` nor an argument of `spec`.
bool CheckArgKeys(const YamlNode& entry, const CommandSpec& spec,
                  const std::vector<std::string_view>& fixed);

// Reads the arguments of `entry` (every key not in `fixed`): checks the forms, then each value by
// its type. REQUIRES: CheckArgKeys passed.
Params ReadArgs(const YamlNode& entry, const CommandSpec& spec,
                const std::vector<std::string_view>& fixed, const LoadScope& scope);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_SCENARIO_COMMAND_ARGS_H_
