#include "sim/argocd/sync_options.h"

#include <algorithm>

#include "sim/manifest/json.h"

#include "sim/manifest/object.h"

namespace fleetsim {
namespace {

bool Contains(const std::vector<std::string>& entries, std::string_view option) {
  return std::find(entries.begin(), entries.end(), option) != entries.end();
}

std::optional<std::string> FirstValue(const std::vector<std::string>& entries,
                                      std::string_view key) {
  for (const std::string& entry : entries) {
    if (entry.size() > key.size() && entry.compare(0, key.size(), key) == 0 &&
        entry[key.size()] == '=') {
      return entry.substr(key.size() + 1);
    }
  }
  return std::nullopt;
}

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(kSpace);
  return s.substr(begin, end - begin + 1);
}

RemovalOption ToRemovalOption(const std::optional<std::string>& value) {
  if (!value) return RemovalOption::kAllowed;
  if (*value == "false") return RemovalOption::kDisabled;
  if (*value == "confirm") return RemovalOption::kConfirm;
  return RemovalOption::kAllowed;
}

}  // namespace

std::string_view PropagationPolicyName(PropagationPolicy policy) {
  switch (policy) {
    case PropagationPolicy::kForeground:
      return "Foreground";
    case PropagationPolicy::kBackground:
      return "Background";
    case PropagationPolicy::kOrphan:
      return "Orphan";
    case PropagationPolicy::kServerDefault:
      return "";
  }
  return "";
}

SyncOptions SyncOptions::Parse(const std::vector<std::string>& entries) {
  SyncOptions o;
  o.prune = FirstValue(entries, "Prune");
  o.delete_value = FirstValue(entries, "Delete");
  o.prune_last = Contains(entries, "PruneLast=true");
  // controller/sync.go tests background, then foreground, then orphan; the first present wins.
  if (Contains(entries, "PrunePropagationPolicy=background")) {
    o.prune_propagation_policy = PropagationPolicy::kBackground;
  } else if (Contains(entries, "PrunePropagationPolicy=foreground")) {
    o.prune_propagation_policy = PropagationPolicy::kForeground;
  } else if (Contains(entries, "PrunePropagationPolicy=orphan")) {
    o.prune_propagation_policy = PropagationPolicy::kOrphan;
  }
  o.create_namespace = Contains(entries, "CreateNamespace=true");
  o.apply_out_of_sync_only = Contains(entries, "ApplyOutOfSyncOnly=true");
  o.replace = Contains(entries, "Replace=true");
  o.server_side_apply = Contains(entries, "ServerSideApply=true");
  o.validate = !Contains(entries, "Validate=false");
  o.skip_dry_run_on_missing_resource = Contains(entries, "SkipDryRunOnMissingResource=true");
  o.fail_on_shared_resource = Contains(entries, "FailOnSharedResource=true");
  o.respect_ignore_differences = Contains(entries, "RespectIgnoreDifferences=true");
  o.client_side_apply_migration = !Contains(entries, "ClientSideApplyMigration=false");
  return o;
}

SyncOptions SyncOptions::FromApplication(const Json& app) {
  std::vector<std::string> entries;
  const Json* list = &app;
  for (const char* field : {"spec", "syncPolicy", "syncOptions"}) {
    if (!list->is_object()) return Parse(entries);
    auto it = list->find(field);
    if (it == list->end()) return Parse(entries);
    list = &*it;
  }
  if (list->is_array()) {
    for (const Json& item : *list) {
      if (item.is_string()) entries.push_back(item.get<std::string>());
    }
  }
  return Parse(entries);
}

std::vector<std::string> AnnotationCsv(const Object* obj, std::string_view annotation) {
  std::vector<std::string> values;
  if (obj == nullptr) return values;
  std::string_view text = obj->annotation(annotation);
  while (true) {
    size_t comma = text.find(',');
    std::string_view item = Trim(text.substr(0, comma));
    if (!item.empty() && !Contains(values, item)) values.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return values;
}

bool HasAnnotationOption(const Object* obj, std::string_view annotation, std::string_view option) {
  return Contains(AnnotationCsv(obj, annotation), option);
}

std::optional<std::string> AnnotationOptionValue(const Object* obj, std::string_view annotation,
                                                 std::string_view key) {
  for (const std::string& item : AnnotationCsv(obj, annotation)) {
    if (item.size() > key.size() && item.compare(0, key.size(), key) == 0 &&
        item[key.size()] == '=') {
      return item.substr(key.size() + 1);
    }
  }
  return std::nullopt;
}

RemovalOption EffectivePrune(const Object* live, const SyncOptions& app) {
  std::optional<std::string> value = AnnotationOptionValue(live, kAnnotationSyncOptions, "Prune");
  return ToRemovalOption(value ? value : app.prune);
}

RemovalOption EffectiveDelete(const Object* obj, const SyncOptions& app) {
  std::optional<std::string> value = AnnotationOptionValue(obj, kAnnotationSyncOptions, "Delete");
  return ToRemovalOption(value ? value : app.delete_value);
}

bool EffectivePruneLast(const Object* live, const SyncOptions& app) {
  return app.prune_last || HasAnnotationOption(live, kAnnotationSyncOptions, "PruneLast=true");
}

bool EffectiveReplace(const Object* target, const Object* live, const SyncOptions& app) {
  return app.replace || HasAnnotationOption(target, kAnnotationSyncOptions, "Replace=true") ||
         HasAnnotationOption(live, kAnnotationSyncOptions, "Replace=true");
}

bool EffectiveForce(const Object* target, const Object* live, bool strategy_force) {
  return strategy_force || HasAnnotationOption(target, kAnnotationSyncOptions, "Force=true") ||
         HasAnnotationOption(live, kAnnotationSyncOptions, "Force=true");
}

bool EffectiveServerSideApply(const Object* target, const SyncOptions& app) {
  if (HasAnnotationOption(target, kAnnotationSyncOptions, "ServerSideApply=false")) return false;
  return app.server_side_apply ||
         HasAnnotationOption(target, kAnnotationSyncOptions, "ServerSideApply=true");
}

bool EffectiveValidate(const Object* target, const SyncOptions& app) {
  return app.validate && !HasAnnotationOption(target, kAnnotationSyncOptions, "Validate=false");
}

bool EffectiveSkipDryRunOnMissingResource(const Object* target, const SyncOptions& app) {
  return app.skip_dry_run_on_missing_resource ||
         HasAnnotationOption(target, kAnnotationSyncOptions, "SkipDryRunOnMissingResource=true");
}

bool RequiresDeletionConfirmation(const Object* target, const Object* live,
                                  const SyncOptions& app) {
  auto one = [&](const Object* obj) {
    if (obj == nullptr) return false;
    return EffectiveDelete(obj, app) == RemovalOption::kConfirm ||
           EffectivePrune(obj, app) == RemovalOption::kConfirm;
  };
  return one(target) || one(live);
}

}  // namespace fleetsim
