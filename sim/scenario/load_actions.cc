// actions: what people do during a run or a drill (DESIGN.md "Actions").
#include "sim/scenario/command_args.h"
#include "sim/scenario/load_sections.h"
#include "sim/scenario/suggest.h"

namespace fleetsim {
namespace {

using T = ArgType;

CommandSpec RolloutsVerb(std::string_view verb, bool with_full) {
  CommandSpec spec{verb,
                   {{"cluster", T::kCluster}, {"rollout", T::kText}, {"namespace", T::kText}},
                   {{"cluster", "rollout"}}};
  if (with_full) spec.args.push_back({"full", T::kBool});
  return spec;
}

// Per verb (`do`, the command as people type it): its arguments and the required sets.
const std::vector<CommandSpec>& ActionCatalog() {
  static const std::vector<CommandSpec> kCatalog = {
      {"kubectl apply",
       {{"repo", T::kRepo}, {"path", T::kRepoPath}, {"file", T::kFile}, {"cluster", T::kCluster}},
       {{"repo", "path"}, {"file"}}},
      {"kubectl edit",
       {{"cluster", T::kCluster}, {"object", T::kObject}, {"set", T::kFieldValues}},
       {{"cluster", "object", "set"}}},
      {"kubectl delete",
       {{"cluster", T::kCluster}, {"object", T::kObject}},
       {{"cluster", "object"}}},
      {"argocd app sync", {{"app", T::kPattern}}, {{"app"}}},
      {"argocd app refresh", {{"app", T::kPattern}, {"hard", T::kBool}}, {{"app"}}},
      {"argocd app delete", {{"app", T::kPattern}, {"cascade", T::kBool}}, {{"app"}}},
      {"argocd app confirm-deletion", {{"app", T::kPattern}}, {{"app"}}},
      {"argocd appset delete", {{"appset", T::kPattern}}, {{"appset"}}},
      RolloutsVerb("kubectl argo rollouts promote", /*with_full=*/true),
      RolloutsVerb("kubectl argo rollouts abort", false),
      RolloutsVerb("kubectl argo rollouts retry", false),
      RolloutsVerb("kubectl argo rollouts pause", false),
      {"backup-sealed-secrets-key", {{"cluster", T::kCluster}}, {{"cluster"}}},
      {"rebuild",
       {{"cluster", T::kCluster}, {"restore", T::kChoiceList, {"sealed-secrets-key"}}},
       {{"cluster"}}},
      {"argocd install", {{"bootstrap", T::kBool}}},
      {"kubeseal --re-encrypt",
       {{"repo", T::kRepo}, {"path", T::kRepoPath}, {"cluster", T::kCluster}},
       {{"repo", "path"}}},
      {"kubectl rollout restart",
       {{"cluster", T::kCluster}, {"controller", T::kChoice, ControllerNames()}},
       {{"cluster", "controller"}}},
  };
  return kCatalog;
}

// "argocd  app   sync" reads as "argocd app sync".
std::string CollapseSpaces(const std::string& text) {
  std::string out;
  for (char c : text) {
    bool space = c == ' ' || c == '\t';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

ActionSpec ReadAction(const YamlNode& item, const LoadScope& scope) {
  ActionSpec action;
  action.pos = item.pos();
  if (!item.ExpectMap()) return action;
  YamlNode verb = item.Require("do");
  action.verb = CollapseSpaces(verb.AsString());
  if (!item.ok()) return action;
  const CommandSpec* spec = FindCommand(ActionCatalog(), action.verb);
  if (spec == nullptr) {
    verb.Fail(UnknownNameMessage("action", action.verb, CommandNames(ActionCatalog())));
    return action;
  }
  const std::vector<std::string_view> fixed = {"at", "do"};
  if (!CheckArgKeys(item, *spec, fixed)) return action;
  action.at = ReadAt(item, scope);
  if (item.ok()) action.params = ReadArgs(item, *spec, fixed, scope);
  return action;
}

}  // namespace

std::vector<ActionSpec> LoadActions(const YamlNode& node, const LoadScope& scope) {
  std::vector<ActionSpec> actions;
  for (const YamlNode& item : node.Items()) {
    actions.push_back(ReadAction(item, scope));
    if (!node.ok()) break;
  }
  SortByAt(&actions);
  return actions;
}

}  // namespace fleetsim
