#include "sim/argocd/appset_progressive.h"

#include <algorithm>
#include <cctype>

namespace fleetsim {
namespace {

constexpr const char* kWaiting = "Waiting";
constexpr const char* kPending = "Pending";
constexpr const char* kProgressing = "Progressing";
constexpr const char* kHealthy = "Healthy";

// labelMatchedExpression for a present label; nullopt for an operator other than In / NotIn.
std::optional<bool> LabelMatches(const std::string& value,
                                 const RollingSyncStep::Expression& expr) {
  if (expr.op != "In" && expr.op != "NotIn") return std::nullopt;
  bool listed = std::find(expr.values.begin(), expr.values.end(), value) != expr.values.end();
  return expr.op == "In" ? listed : !listed;
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

// getAppStep: 1-based, -1 when no step selects the Application.
std::string StepOf(const std::string& app, const RollingSteps& steps) {
  auto it = steps.step_of.find(app);
  return std::to_string(it == steps.step_of.end() ? -1 : it->second + 1);
}

// appStepMap[name] in Go: an Application no step selects reads as step 0.
int StepIndex(const std::string& app, const RollingSteps& steps) {
  auto it = steps.step_of.find(app);
  return it == steps.step_of.end() ? 0 : it->second;
}

const AppSetAppStatus* FindStatus(const std::vector<AppSetAppStatus>& statuses,
                                  const std::string& app) {
  for (const AppSetAppStatus& s : statuses) {
    if (s.application == app) return &s;
  }
  return nullptr;
}

// The transitions of an Application whose target revision and spec did not change.
void Advance(const AppSetAppStatus& current, const AppProgressView& view, SimTime now,
             AppSetAppStatus* next) {
  if (current.status == kPending) {
    bool reconciled_since = !view.reconciled_at || *view.reconciled_at > current.last_transition;
    if (reconciled_since) {
      // The simulated controller starts an operation at the instant it is written, so "started
      // after the Pending transition" includes that instant.
      if (view.operation_started_at && *view.operation_started_at >= current.last_transition) {
        next->last_transition = now;
        next->status = kProgressing;
        if (view.operation_phase == "Succeeded") {
          next->message =
              "Application resource completed a sync successfully, updating status from Pending "
              "to Progressing";
        } else if (view.operation_phase == "Failed" || view.operation_phase == "Error") {
          next->message =
              "Application resource completed a sync, updating status from Pending to Progressing";
        } else {
          next->message =
              "Application resource became Progressing, updating status from Pending to "
              "Progressing";
        }
      } else if (view.has_error) {
        next->last_transition = now;
        next->status = kProgressing;
        next->message =
            "Application resource has error and cannot sync, updating status to "
            "Progressing";
      }
    }
  }
  if (current.status == kProgressing && view.health == "Healthy" && view.sync == "Synced") {
    next->last_transition = now;
    next->status = kHealthy;
    next->message =
        "Application resource became Healthy, updating status from Progressing to "
        "Healthy";
  }
}

}  // namespace

RollingSteps BuildRollingSteps(const std::vector<RollingSyncStep>& steps,
                               const std::vector<LabeledApp>& apps) {
  RollingSteps out;
  out.apps.resize(steps.size());
  for (const LabeledApp& app : apps) {
    for (size_t i = 0; i < steps.size(); ++i) {
      bool selected = true;
      for (const RollingSyncStep::Expression& expr : steps[i].match_expressions) {
        auto label = app.labels.find(expr.key);
        if (label != app.labels.end()) {
          std::optional<bool> matched = LabelMatches(label->second, expr);
          std::pair<int, std::string> issue{static_cast<int>(i), expr.op};
          if (!matched && std::find(out.invalid_operators.begin(), out.invalid_operators.end(),
                                    issue) == out.invalid_operators.end()) {
            out.invalid_operators.push_back(std::move(issue));
          }
          if (!matched || !*matched) {
            selected = false;
            break;
          }
        } else if (expr.op == "In") {
          selected = false;  // a missing label never matches In (and always matches NotIn)
          break;
        }
      }
      if (!selected) continue;
      int step = static_cast<int>(i);
      out.apps[i].push_back(app.name);
      auto [it, inserted] = out.step_of.emplace(app.name, step);
      if (!inserted) {
        std::vector<int>& dup = out.duplicates[app.name];
        if (dup.empty()) dup.push_back(it->second);
        dup.push_back(step);
      }
    }
  }
  for (size_t i = 0; i < out.apps.size(); ++i) {
    if (out.apps[i].empty()) out.empty_steps.push_back(static_cast<int>(i));
  }
  return out;
}

std::vector<AppSetAppStatus> UpdateAppStatuses(const std::vector<AppSetAppStatus>& previous,
                                               const std::vector<ProgressInput>& apps,
                                               const RollingSteps& steps, SimTime now) {
  std::vector<AppSetAppStatus> out;
  for (const ProgressInput& app : apps) {
    const AppSetAppStatus* found = FindStatus(previous, app.name);
    AppSetAppStatus current;
    if (found != nullptr) {
      current = *found;
    } else {
      current = {app.name,
                 kWaiting,
                 "No Application status found, defaulting status to Waiting",
                 StepOf(app.name, steps),
                 app.view.revisions,
                 now};
    }
    AppSetAppStatus next = current;
    next.step = StepOf(app.name, steps);
    bool revisions_changed = current.target_revisions != app.view.revisions;
    if (revisions_changed || app.spec_changed) {
      next.target_revisions = app.view.revisions;
      next.message =
          revisions_changed && app.spec_changed
              ? "Application has pending changes (revision and spec differ), setting status to "
                "Waiting"
          : revisions_changed ? "Application has pending changes, setting status to Waiting"
                              : "Application has pending changes (spec differs), setting status "
                                "to Waiting";
      next.status = kWaiting;
      next.last_transition = now;
    }
    if (next.status == kWaiting) {
      // Already in sync (nothing to apply): no sync needed.
      if (app.view.sync == "Synced") {
        next.last_transition = now;
        bool healthy = app.view.health == "Healthy";
        next.status = healthy ? kHealthy : kProgressing;
        next.message = healthy ? "Application resource has synced, updating status to Healthy"
                               : "Application resource has synced, updating status to Progressing";
      }
    } else {
      Advance(current, app.view, now, &next);
    }
    out.push_back(std::move(next));
  }
  return out;
}

std::set<std::string> AppsToSync(const std::vector<AppSetAppStatus>& statuses,
                                 const RollingSteps& steps,
                                 const std::set<std::string>& current_apps) {
  std::set<std::string> out;
  for (const std::vector<std::string>& step : steps.apps) {
    out.insert(step.begin(), step.end());
    bool next_wave = true;
    for (const std::string& app : step) {
      const AppSetAppStatus* status = FindStatus(statuses, app);
      if (current_apps.count(app) == 0 || status == nullptr || status->status != kHealthy) {
        next_wave = false;
        break;
      }
    }
    if (!next_wave) break;
  }
  return out;
}

std::optional<int> MaxUpdateFor(const std::optional<Json>& max_update, int total,
                                std::string* error) {
  if (!max_update) return std::nullopt;
  const Json& v = *max_update;
  if (v.is_number_integer()) return static_cast<int>(v.get<int64_t>());
  int value = 0;
  std::string text = v.is_string() ? v.get<std::string>() : v.dump();
  bool percent = !text.empty() && text.back() == '%';
  std::string digits = percent ? text.substr(0, text.size() - 1) : "";
  bool numeric = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
  if (!percent || !numeric || digits.size() > 9) {
    *error = "invalid value for IntOrString: invalid value \"" + text + "\"";
  } else {
    value = static_cast<int>(static_cast<int64_t>(std::stoi(digits)) * total / 100);
  }
  // A percentage other than 0% always lets at least one Application through (an invalid value
  // too: it reads as 0 before this floor).
  if (text != "0%" && value < 1) value = 1;
  return value;
}

std::vector<AppSetAppStatus> PromoteToPending(const std::vector<AppSetAppStatus>& statuses,
                                              const std::vector<RollingSyncStep>& spec_steps,
                                              const std::set<std::string>& to_sync,
                                              const RollingSteps& steps, SimTime now,
                                              std::map<int, std::string>* invalid_max_update) {
  std::vector<int> updating(spec_steps.size(), 0);
  std::vector<int> total(spec_steps.size(), 0);
  for (const AppSetAppStatus& s : statuses) {
    int step = StepIndex(s.application, steps);
    ++total[step];
    if (s.status == kPending || s.status == kProgressing) ++updating[step];
  }
  std::vector<AppSetAppStatus> out;
  for (AppSetAppStatus s : statuses) {
    int step = StepIndex(s.application, steps);
    std::string error;
    std::optional<int> max = MaxUpdateFor(spec_steps[step].max_update, total[step], &error);
    if (!error.empty() && invalid_max_update->count(step) == 0) {
      const Json& v = *spec_steps[step].max_update;
      (*invalid_max_update)[step] = v.is_string() ? v.get<std::string>() : v.dump();
    }
    bool allowed = !max || updating[step] < *max;
    if (s.status == kWaiting && to_sync.count(s.application) != 0 && allowed) {
      s.last_transition = now;
      s.status = kPending;
      s.message =
          "Application moved to Pending status, watching for the Application resource "
          "to start Progressing";
      ++updating[step];
    }
    out.push_back(std::move(s));
  }
  return out;
}

bool PersistAppStatuses(std::vector<AppSetAppStatus> next, std::vector<AppSetAppStatus>* stored) {
  bool changed = next.size() != stored->size();
  for (size_t i = 0; !changed && i < next.size(); ++i) {
    const AppSetAppStatus* current = FindStatus(*stored, next[i].application);
    changed = current == nullptr || current->status != next[i].status ||
              current->step != next[i].step || current->message != next[i].message;
  }
  if (!changed) return false;
  std::stable_sort(next.begin(), next.end(),
                   [](const AppSetAppStatus& a, const AppSetAppStatus& b) {
                     return a.application < b.application;
                   });
  *stored = std::move(next);
  return true;
}

RolloutCondition ProgressingCondition(const std::vector<AppSetAppStatus>& statuses,
                                      size_t step_count) {
  std::map<std::string, bool> completed;  // by step
  for (const AppSetAppStatus& s : statuses) {
    auto [it, inserted] = completed.emplace(s.step, s.status == kHealthy);
    if (!inserted) it->second = it->second && s.status == kHealthy;
  }
  for (size_t i = 0; i < step_count; ++i) {
    auto it = completed.find(std::to_string(i + 1));
    if (it != completed.end() && !it->second) {
      return {"True", "ApplicationSetModified",
              "ApplicationSet is performing rollout of step " + std::to_string(i + 1)};
    }
  }
  return {"False", "ApplicationSetRolloutComplete", "ApplicationSet Rollout has completed"};
}

RolloutCondition InvalidRolloutConfigCondition(const RollingSteps& steps,
                                               const std::map<int, std::string>& invalid_max) {
  std::vector<std::string> bad_steps, bad_ops;
  for (const auto& [step, op] : steps.invalid_operators) {
    bad_steps.push_back(std::to_string(step + 1));
    bad_ops.push_back(op);
  }
  std::string message;
  if (!bad_steps.empty()) {
    message = bad_steps.size() == 1
                  ? "Step " + bad_steps[0] +
                        " has invalid matchExpression operators: " + bad_ops[0] +
                        ". Supported Operators are 'In' and 'NotIn'"
                  : "Steps " + Join(bad_steps, ", ") +
                        " have invalid matchExpression operators: " + Join(bad_ops, ", ") +
                        ". Supported Operators are 'In' and 'NotIn'";
  } else if (!steps.duplicates.empty()) {
    std::vector<std::string> names, groups;
    for (const auto& [app, dup] : steps.duplicates) {
      names.push_back(app);
      std::vector<std::string> nums;
      for (int s : dup) nums.push_back(std::to_string(s + 1));
      groups.push_back(Join(nums, "-"));
    }
    message =
        names.size() == 1
            ? "Application '" + names[0] + "' is selected by multiple steps: (" + groups[0] + ")"
            : "Applications '" + Join(names, "', '") + "' are selected by multiple steps: [(" +
                  Join(groups, "), (") + ")]";
  } else if (!invalid_max.empty()) {
    std::vector<std::string> nums, values;
    for (const auto& [step, value] : invalid_max) {
      nums.push_back(std::to_string(step + 1));
      values.push_back(value);
    }
    message = nums.size() == 1 ? "Step " + nums[0] + " has an invalid maxUpdate value: " + values[0]
                               : "Steps " + Join(nums, ", ") + " have invalid maxUpdate values: [" +
                                     Join(values, ", ") + "]";
  } else if (!steps.empty_steps.empty()) {
    std::vector<std::string> nums;
    for (int s : steps.empty_steps) nums.push_back(std::to_string(s + 1));
    message = "Steps [" + Join(nums, " ") + "] have no applications matching their criteria";
  }
  if (message.empty()) {
    return {"False", "ValidRolloutConfig", "Rolling Sync Configured correctly"};
  }
  return {"True", "InvalidRolloutConfig", message};
}

bool DisableAutomatedSync(Json* app) {
  auto spec = app->find("spec");
  if (spec == app->end() || !spec->is_object()) return false;
  auto policy = spec->find("syncPolicy");
  if (policy == spec->end() || !policy->is_object()) return false;
  auto automated = policy->find("automated");
  if (automated == policy->end() || !automated->is_object()) return false;
  auto enabled = automated->find("enabled");
  bool was_enabled = enabled == automated->end() || !enabled->is_boolean() || enabled->get<bool>();
  auto prune = automated->find("prune");
  bool pruning =
      was_enabled && prune != automated->end() && prune->is_boolean() && prune->get<bool>();
  (*automated)["enabled"] = false;
  return pruning;
}

}  // namespace fleetsim
