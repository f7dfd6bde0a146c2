#include "sim/argocd/hooks.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>
#include <set>

#include "sim/manifest/json.h"

#include "sim/argocd/sync_options.h"

namespace fleetsim {
namespace {

// Go's strconv.Atoi on a 64-bit platform: an optional sign, then one or more ASCII digits, no
// spaces or underscores, within int64.
std::optional<int64_t> GoAtoi(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (limit - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  if (negative) {
    return value == (uint64_t{1} << 63) ? std::numeric_limits<int64_t>::min()
                                        : -static_cast<int64_t>(value);
  }
  return static_cast<int64_t>(value);
}

std::optional<HookType> ArgoHookType(std::string_view text) {
  if (text == "PreSync") return HookType::kPreSync;
  if (text == "Sync") return HookType::kSync;
  if (text == "PostSync") return HookType::kPostSync;
  if (text == "SyncFail") return HookType::kSyncFail;
  if (text == "Skip") return HookType::kSkip;
  return std::nullopt;
}

std::optional<HookType> HelmHookType(std::string_view text) {
  if (text == "pre-install" || text == "pre-upgrade") return HookType::kPreSync;
  if (text == "post-install" || text == "post-upgrade") return HookType::kPostSync;
  return std::nullopt;
}

std::optional<HookDeletePolicy> ArgoDeletePolicy(std::string_view text) {
  if (text == "HookSucceeded") return HookDeletePolicy::kHookSucceeded;
  if (text == "HookFailed") return HookDeletePolicy::kHookFailed;
  if (text == "BeforeHookCreation") return HookDeletePolicy::kBeforeHookCreation;
  return std::nullopt;
}

std::optional<HookDeletePolicy> HelmDeletePolicy(std::string_view text) {
  if (text == "hook-succeeded") return HookDeletePolicy::kHookSucceeded;
  if (text == "hook-failed") return HookDeletePolicy::kHookFailed;
  if (text == "before-hook-creation") return HookDeletePolicy::kBeforeHookCreation;
  return std::nullopt;
}

bool HasAnnotation(const Object& obj, std::string_view key) {
  // A scan of the few annotations objects carry, instead of building a key string for find().
  const auto& annotations = obj.annotations();
  return std::any_of(annotations.begin(), annotations.end(),
                     [key](const auto& a) { return a.first == key; });
}

// isHookOfType's test: a comma-separated item (trimmed) equals `value`.
bool AnnotationListHas(const Object& obj, std::string_view key, std::string_view value) {
  if (!HasAnnotation(obj, key)) return false;
  return HasAnnotationOption(&obj, key, value);
}

bool HasSyncPhaseHook(const Object& obj) {
  for (HookType t : HookTypes(obj)) {
    if (t == HookType::kPreSync || t == HookType::kSync || t == HookType::kPostSync ||
        t == HookType::kSyncFail) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view SyncPhaseName(SyncPhase phase) {
  switch (phase) {
    case SyncPhase::kPreSync:
      return "PreSync";
    case SyncPhase::kSync:
      return "Sync";
    case SyncPhase::kPostSync:
      return "PostSync";
    case SyncPhase::kSyncFail:
      return "SyncFail";
  }
  return "Sync";
}

std::string_view HookTypeName(HookType type) {
  switch (type) {
    case HookType::kPreSync:
      return "PreSync";
    case HookType::kSync:
      return "Sync";
    case HookType::kPostSync:
      return "PostSync";
    case HookType::kSyncFail:
      return "SyncFail";
    case HookType::kSkip:
      return "Skip";
    case HookType::kPreDelete:
      return "PreDelete";
    case HookType::kPostDelete:
      return "PostDelete";
  }
  return "";
}

std::string_view HookDeletePolicyName(HookDeletePolicy policy) {
  switch (policy) {
    case HookDeletePolicy::kHookSucceeded:
      return "HookSucceeded";
    case HookDeletePolicy::kHookFailed:
      return "HookFailed";
    case HookDeletePolicy::kBeforeHookCreation:
      return "BeforeHookCreation";
  }
  return "";
}

std::vector<HookType> HookTypes(const Object& obj) {
  std::vector<HookType> types;
  for (const std::string& text : AnnotationCsv(&obj, kAnnotationHook)) {
    if (auto t = ArgoHookType(text)) types.push_back(*t);
  }
  if (!types.empty()) return types;
  for (const std::string& text : AnnotationCsv(&obj, kAnnotationHelmHook)) {
    if (auto t = HelmHookType(text)) types.push_back(*t);
  }
  return types;
}

bool IsSkipped(const Object& obj) {
  std::vector<HookType> types = HookTypes(obj);
  return types.size() == 1 && types[0] == HookType::kSkip;
}

bool IsHook(const Object& obj) {
  if (HasAnnotation(obj, kAnnotationHook)) return !IsSkipped(obj);
  return HasAnnotation(obj, kAnnotationHelmHook) &&
         obj.annotation(kAnnotationHelmHook) != "crd-install";
}

bool IsIgnored(const Object& obj) { return IsHook(obj) && HookTypes(obj).empty(); }

bool IsPreDeleteHook(const Object& obj) {
  return AnnotationListHas(obj, kAnnotationHook, "PreDelete") ||
         AnnotationListHas(obj, kAnnotationHelmHook, "pre-delete");
}

bool IsPostDeleteHook(const Object& obj) {
  return AnnotationListHas(obj, kAnnotationHook, "PostDelete") ||
         AnnotationListHas(obj, kAnnotationHelmHook, "post-delete");
}

std::vector<SyncPhase> SyncPhasesOf(const Object& obj) {
  if (IsSkipped(obj)) return {};
  if (!IsHook(obj)) return {SyncPhase::kSync};
  std::set<int> phases;
  for (HookType t : HookTypes(obj)) {
    switch (t) {
      case HookType::kPreSync:
        phases.insert(static_cast<int>(SyncPhase::kPreSync));
        break;
      case HookType::kSync:
        phases.insert(static_cast<int>(SyncPhase::kSync));
        break;
      case HookType::kPostSync:
        phases.insert(static_cast<int>(SyncPhase::kPostSync));
        break;
      case HookType::kSyncFail:
        phases.insert(static_cast<int>(SyncPhase::kSyncFail));
        break;
      default:
        break;
    }
  }
  std::vector<SyncPhase> result;
  for (int p : phases) result.push_back(static_cast<SyncPhase>(p));
  return result;
}

int64_t SyncWave(const Object& obj) {
  if (HasAnnotation(obj, kAnnotationSyncWave)) {
    if (auto v = GoAtoi(obj.annotation(kAnnotationSyncWave))) return *v;
  }
  if (HasAnnotation(obj, kAnnotationHelmHookWeight)) {
    if (auto v = GoAtoi(obj.annotation(kAnnotationHelmHookWeight))) return *v;
  }
  return 0;
}

std::vector<HookDeletePolicy> HookDeletePolicies(const Object& obj) {
  std::vector<HookDeletePolicy> policies;
  for (const std::string& text : AnnotationCsv(&obj, kAnnotationHookDeletePolicy)) {
    if (auto p = ArgoDeletePolicy(text)) policies.push_back(*p);
  }
  for (const std::string& text : AnnotationCsv(&obj, kAnnotationHelmHookDeletePolicy)) {
    if (auto p = HelmDeletePolicy(text)) policies.push_back(*p);
  }
  if (policies.empty()) policies.push_back(HookDeletePolicy::kBeforeHookCreation);
  return policies;
}

std::string HookName(const Object& hook, std::string_view revision, SyncPhase phase,
                     int64_t started_at_unix) {
  if (!hook.name().empty()) return hook.name();
  std::string_view rev = revision.size() >= 8 ? revision.substr(0, 7) : revision;
  std::string postfix = std::string(rev) + "-" + std::string(SyncPhaseName(phase)) + "-" +
                        std::to_string(started_at_unix);
  std::transform(postfix.begin(), postfix.end(), postfix.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string generate_name;
  const Json& doc = hook.doc();
  auto meta = doc.find("metadata");
  if (meta != doc.end() && meta->is_object()) {
    auto gen = meta->find("generateName");
    if (gen != meta->end() && gen->is_string()) generate_name = gen->get<std::string>();
  }
  return generate_name + postfix;
}

SyncPartition PartitionTargetsForSync(const std::vector<ObjectPtr>& targets) {
  SyncPartition out;
  for (const ObjectPtr& obj : targets) {
    if (IsPreDeleteHook(*obj)) {
      out.has_pre_delete_hooks = true;
      if (!HasSyncPhaseHook(*obj)) continue;
    }
    if (IsPostDeleteHook(*obj)) {
      out.has_post_delete_hooks = true;
      if (!HasSyncPhaseHook(*obj)) continue;
    }
    out.sync_objects.push_back(obj);
  }
  return out;
}

}  // namespace fleetsim
