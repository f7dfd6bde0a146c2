// fleetsim diff: a pull-request gate. What merging HEAD onto BASE does to the fleet (fleet_diff.h),
// for people (text) and tools (JSON), and exit 1 when a limit is exceeded.
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>

#include "sim/manifest/json.h"

#include "sim/cli/commands.h"
#include "sim/cli/fleet_diff.h"
#include "sim/cli/offline_sources.h"
#include "sim/git/git_reader.h"
#include "sim/git/git_snapshot.h"
#include "sim/manifest/process_tool_runner.h"

namespace fleetsim {
namespace {

struct Totals {
  int64_t created = 0, changed = 0, deleted = 0, kept = 0;
  int64_t resources_deleted = 0, resources_orphaned = 0, prunes = 0;
  std::set<std::string> clusters;  // where anything changes
};

Totals Count(const FleetDiff& diff) {
  Totals t;
  for (const AppDiff& a : diff.apps) {
    t.clusters.insert(a.cluster);
    switch (a.change) {
      case AppChange::kCreated:
        ++t.created;
        break;
      case AppChange::kChanged:
        ++t.changed;
        break;
      case AppChange::kKept:
        ++t.kept;
        break;
      case AppChange::kDeleted:
        ++t.deleted;
        for (const DiffResource& r : a.resources) {
          (r.action == "delete" ? t.resources_deleted : t.resources_orphaned) += 1;
        }
        break;
    }
  }
  for (const PruneDiff& p : diff.prunes) {
    for (const DiffResource& r : p.resources) {
      if (r.action == "prune") {
        ++t.prunes;
        t.clusters.insert(p.cluster);
      }
    }
  }
  return t;
}

// "--max-app-deletions 0: 4 Applications deleted" for each limit exceeded.
std::vector<std::pair<std::string, std::string>> Exceeded(const DiffOptions& o, const Totals& t) {
  std::vector<std::pair<std::string, std::string>> out;
  if (o.max_app_deletions && t.deleted > *o.max_app_deletions) {
    out.push_back({"max-app-deletions", "--max-app-deletions " +
                                            std::to_string(*o.max_app_deletions) + ": " +
                                            std::to_string(t.deleted) + " Applications deleted"});
  }
  if (o.max_prunes && t.prunes > *o.max_prunes) {
    out.push_back({"max-prunes", "--max-prunes " + std::to_string(*o.max_prunes) + ": " +
                                     std::to_string(t.prunes) + " resources pruned"});
  }
  return out;
}

const char* ChangeName(AppChange c) {
  switch (c) {
    case AppChange::kCreated:
      return "created";
    case AppChange::kDeleted:
      return "deleted";
    case AppChange::kChanged:
      return "changed";
    case AppChange::kKept:
      break;
  }
  return "kept";
}

Json ResourcesJson(const std::vector<DiffResource>& resources) {
  Json out = Json::array();
  for (const DiffResource& r : resources) {
    out.push_back({{"group", r.key.group},
                   {"kind", r.key.kind},
                   {"namespace", r.key.ns},
                   {"name", r.key.name},
                   {"action", r.action},
                   {"reason", r.reason}});
  }
  return out;
}

Json ToJson(const FleetDiff& diff, const Totals& t, const DiffOptions& o, const CommitId& base,
            const CommitId& head,
            const std::vector<std::pair<std::string, std::string>>& exceeded) {
  std::map<std::string, Json> clusters;
  auto cluster = [&](const std::string& name) -> Json& {
    Json& c = clusters[name];
    if (c.is_null()) {
      c = {{"name", name}};
      for (const char* k : {"created", "changed", "deleted", "kept", "prunes"}) {
        c[k] = Json::array();
      }
    }
    return c;
  };
  for (const AppDiff& a : diff.apps) {
    Json entry = {{"app", a.name}, {"namespace", a.ns}, {"owner", a.owner}, {"reason", a.reason}};
    if (a.change == AppChange::kDeleted) {
      entry["cascade"] = a.cascade;
      entry["propagation"] = a.propagation;
      entry["resources"] = ResourcesJson(a.resources);
      entry["resources_error"] = a.resources_error;
    }
    cluster(a.cluster)[ChangeName(a.change)].push_back(std::move(entry));
  }
  for (const PruneDiff& p : diff.prunes) {
    cluster(p.cluster)["prunes"].push_back({{"app", p.name},
                                            {"namespace", p.ns},
                                            {"owner", p.owner},
                                            {"note", p.note},
                                            {"resources", ResourcesJson(p.resources)}});
  }
  Json out;
  out["base"] = {{"revision", o.base}, {"commit", base.hex()}};
  out["head"] = {{"revision", o.head}, {"commit", head.hex()}};
  out["clusters"] = Json::array();
  for (auto& [name, c] : clusters) out["clusters"].push_back(std::move(c));
  out["totals"] = {{"apps_created", t.created},
                   {"apps_changed", t.changed},
                   {"apps_deleted", t.deleted},
                   {"apps_kept", t.kept},
                   {"resources_deleted", t.resources_deleted},
                   {"resources_orphaned", t.resources_orphaned},
                   {"prunes", t.prunes},
                   {"clusters", static_cast<int64_t>(t.clusters.size())}};
  Json limits = {
      {"max_app_deletions", nullptr}, {"max_prunes", nullptr}, {"exceeded", Json::array()}};
  if (o.max_app_deletions) limits["max_app_deletions"] = *o.max_app_deletions;
  if (o.max_prunes) limits["max_prunes"] = *o.max_prunes;
  for (const auto& [key, text] : exceeded) limits["exceeded"].push_back(key);
  out["limits"] = std::move(limits);
  return out;
}

void PrintResources(std::ostream& out, const std::vector<DiffResource>& resources) {
  for (const DiffResource& r : resources) {
    out << "    " << r.action << std::string(r.action.size() < 7 ? 7 - r.action.size() : 1, ' ')
        << r.key.ToString();
    if (!r.reason.empty()) out << "  (" << r.reason << ")";
    out << "\n";
  }
}

void PrintText(std::ostream& out, const FleetDiff& diff, const Totals& t, const DiffOptions& o,
               const CommitId& base, const CommitId& head,
               const std::vector<std::pair<std::string, std::string>>& exceeded) {
  out << "base " << o.base << " (" << base.hex().substr(0, 7) << ")  head " << o.head << " ("
      << head.hex().substr(0, 7) << ")\n";
  std::set<std::string> clusters = t.clusters;
  for (const AppDiff& a : diff.apps) clusters.insert(a.cluster);
  for (const std::string& c : clusters) {
    out << "\ncluster " << c << "\n";
    for (AppChange change :
         {AppChange::kCreated, AppChange::kDeleted, AppChange::kChanged, AppChange::kKept}) {
      for (const AppDiff& a : diff.apps) {
        if (a.cluster != c || a.change != change) continue;
        out << "  " << ChangeName(change) << "  " << a.name << "  (" << a.reason << ")\n";
      }
    }
    for (const AppDiff& a : diff.apps) {
      if (a.cluster != c || a.change != AppChange::kDeleted) continue;
      out << "  deleting " << a.name << ": "
          << (a.cascade ? "resources finalizer, " + a.propagation + " cascade"
                        : "no resources finalizer, resources stay")
          << "\n";
      if (!a.resources_error.empty()) out << "    resources unknown: " << a.resources_error << "\n";
      PrintResources(out, a.resources);
    }
    for (const PruneDiff& p : diff.prunes) {
      if (p.cluster != c) continue;
      out << "  pruning from " << p.name << (p.note.empty() ? "" : ": " + p.note) << "\n";
      PrintResources(out, p.resources);
    }
  }
  if (diff.apps.empty() && diff.prunes.empty()) {
    out << "\nno Application created, deleted or changed, nothing pruned\n";
  }
  out << "\nsummary: " << t.deleted << " Applications deleted, " << t.created << " created, "
      << t.changed << " changed, " << t.kept << " kept on " << t.clusters.size()
      << " clusters; resources: " << t.resources_deleted << " deleted, " << t.resources_orphaned
      << " orphaned, " << t.prunes << " pruned\n";
  for (const auto& [key, text] : exceeded) out << "limit exceeded: " << text << "\n";
}

}  // namespace

int DiffCommand(const DiffOptions& options, std::ostream& out, std::ostream& err) {
  if (options.output != "text" && options.output != "json") {
    err << "-o: unknown output format \"" << options.output << "\" (text or json)\n";
    return kExitBadInput;
  }
  if ((options.max_app_deletions && *options.max_app_deletions < 0) ||
      (options.max_prunes && *options.max_prunes < 0)) {
    err << "--max-app-deletions and --max-prunes take a count (0 or more)\n";
    return kExitBadInput;
  }
  BlobStore blobs;
  Result<std::unique_ptr<GitReader>> reader = GitReader::Open(options.git, blobs);
  if (!reader.ok()) {
    err << "--git: " << reader.error() << "\n";
    return kExitBadInput;
  }
  GitReader& git = **reader;
  Result<CommitId> base = git.ResolveCommit(options.base);
  if (!base.ok()) {
    err << "--base: " << base.error() << "\n";
    return kExitBadInput;
  }
  Result<CommitId> head = git.ResolveCommit(options.head);
  if (!head.ok()) {
    err << "--head: " << head.error() << "\n";
    return kExitBadInput;
  }
  Result<std::vector<AppSetCluster>> clusters = LoadFleetFile(options.fleet_file);
  if (!clusters.ok()) {
    err << clusters.error() << "\n";
    return kExitBadInput;
  }
  // The change lands on the base's branch: that branch's name means the head's tip there.
  const std::string branch = git.BranchName(options.base);
  const std::string origin = git.RemoteUrl("origin");
  GitSnapshot base_snapshot(git, *base, branch, origin);
  GitSnapshot head_snapshot(git, *head, branch, origin);
  ProcessToolRunner tools;
  Result<FleetDiff> diff =
      ComputeFleetDiff({&base_snapshot, options.base, "base"},
                       {&head_snapshot, options.head, "head"}, *clusters, &tools);
  if (!diff.ok()) {
    err << diff.error() << "\n";
    return kExitBadInput;
  }
  const Totals totals = Count(*diff);
  const auto exceeded = Exceeded(options, totals);
  if (options.output == "json") {
    out << ToJson(*diff, totals, options, *base, *head, exceeded).dump(2) << "\n";
    for (const auto& [key, text] : exceeded) err << "limit exceeded: " << text << "\n";
  } else {
    PrintText(out, *diff, totals, options, *base, *head, exceeded);
  }
  if (!out) return kExitInternal;
  return exceeded.empty() ? kExitOk : kExitExpectationFailed;
}

}  // namespace fleetsim
