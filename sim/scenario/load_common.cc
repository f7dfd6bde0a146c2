// Checks shared by the section readers.
#include <algorithm>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "sim/scenario/load_sections.h"
#include "sim/scenario/name_rules.h"
#include "sim/scenario/suggest.h"

namespace fleetsim {

std::string FormatNumber(double x) { return fmt::format("{}", x); }

SimTime ReadAt(const YamlNode& entry, const LoadScope& scope) {
  YamlNode at = entry.Require("at");
  SimDuration offset = at.AsDuration();
  if (offset > scope.duration) {
    at.Fail("at " + FormatDuration(offset) + " is after the end of the run (duration " +
            FormatDuration(scope.duration) + ")");
  }
  return SimTime::Zero() + offset;
}

std::string ReadClusterRef(const YamlNode& node, const LoadScope& scope, bool allow_glob) {
  std::string name = node.AsString();
  if (!node.ok() || (allow_glob && IsGlob(name))) return name;
  if (!std::binary_search(scope.clusters.begin(), scope.clusters.end(), name)) {
    node.Fail(UnknownNameMessage("cluster", name, scope.clusters));
  }
  return name;
}

std::string ReadRepoRef(const YamlNode& node, const LoadScope& scope) {
  std::string name = node.AsString();
  if (node.ok() && scope.repo_trees.count(name) == 0) {
    std::vector<std::string> repos;
    for (const auto& [repo, tree] : scope.repo_trees) repos.push_back(repo);
    node.Fail(UnknownNameMessage("repo", name, std::move(repos)));
  }
  return name;
}

std::string ReadRepoPath(const YamlNode& node) {
  std::string path = node.AsString();
  if (node.ok() && !IsRepoRelativePath(path)) {
    node.Fail(node.name() + " \"" + path +
              "\" must be a relative path inside the repository, without \"..\"");
  }
  return path;
}

void CheckPathInTree(const YamlNode& node, const std::string& repo, const LoadScope& scope) {
  auto it = scope.repo_trees.find(repo);
  if (it == scope.repo_trees.end() || it->second.empty()) return;
  std::string path = node.AsString();
  std::error_code ec;
  if (node.ok() && !std::filesystem::exists(std::filesystem::path(it->second) / path, ec)) {
    node.Fail("path \"" + path + "\" does not exist in repo \"" + repo + "\"");
  }
}

std::string ReadNonEmpty(const YamlNode& node) {
  std::string text = node.AsString();
  if (node.ok() && text.empty()) node.Fail(node.name() + " must not be empty");
  return text;
}

std::string ReadChoice(const YamlNode& node, std::string_view what,
                       const std::vector<std::string_view>& choices) {
  std::string text = node.AsString();
  if (!node.ok() || std::find(choices.begin(), choices.end(), text) != choices.end()) return text;
  std::vector<std::string> candidates;
  for (std::string_view choice : choices) {
    if (!choice.empty()) candidates.emplace_back(choice);
  }
  node.Fail(UnknownNameMessage(what, text, std::move(candidates)));
  return text;
}

std::map<std::string, std::string> ReadLabels(const YamlNode& node) {
  std::map<std::string, std::string> labels;
  for (const MapEntry& entry : node.Entries()) {
    std::string value = entry.value.AsString();
    if (!node.ok()) break;
    if (!IsLabelKey(entry.key)) {
      entry.key_node.Fail("invalid label key \"" + entry.key +
                          "\": a name of letters, digits, '-', '_' and '.' (at most 63), "
                          "optionally after a DNS subdomain and '/'");
    } else if (!IsLabelValue(value)) {
      entry.value.Fail("invalid label value \"" + value +
                       "\": letters, digits, '-', '_' and '.', starting and ending with a "
                       "letter or digit, at most 63");
    }
    labels[entry.key] = value;
  }
  return labels;
}

}  // namespace fleetsim
