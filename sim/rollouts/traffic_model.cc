#include "sim/rollouts/traffic_model.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/cluster/label_selector.h"
#include "sim/cluster/workload_util.h"

namespace fleetsim::rollouts {
namespace {

using json = Json;

const json& At(const json& doc, std::initializer_list<const char*> path) {
  static const json kNull;
  const json* cur = &doc;
  for (const char* key : path) {
    if (!cur->is_object()) return kNull;
    auto it = cur->find(key);
    if (it == cur->end()) return kNull;
    cur = &*it;
  }
  return *cur;
}

std::string Str(const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

std::map<std::string, std::string> StringMap(const json& v) {
  std::map<std::string, std::string> out;
  if (!v.is_object()) return out;
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (it->is_string()) out[it.key()] = it->get<std::string>();
  }
  return out;
}

std::string PodHash(const json& pod) {
  const json& labels = At(pod, {"metadata", "labels"});
  std::string hash = Str(At(labels, {"rollouts-pod-template-hash"}));
  return hash.empty() ? Str(At(labels, {"pod-template-hash"})) : hash;
}

std::string PodImage(const json& pod) {
  const json& containers = At(pod, {"spec", "containers"});
  if (!containers.is_array() || containers.empty()) return "";
  return Str(At(containers[0], {"image"}));
}

std::string ImageTag(const std::string& image) {
  size_t at = image.find('@');
  if (at != std::string::npos) return image.substr(at + 1);
  size_t colon = image.rfind(':');
  if (colon == std::string::npos || image.find('/', colon) != std::string::npos) return "latest";
  return image.substr(colon + 1);
}

// How a Rollout uses a Service.
enum class Role { kNone, kSelected, kStable, kRoutedStable, kTestOnly };

// Fraction of requests slower than x under an exponential latency whose 99th percentile is p99.
double LatencyCdf(double x, double p99) {
  if (p99 <= 0) return 1;
  return 1 - std::pow(0.01, x / p99);
}

constexpr double kSecondBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
constexpr double kMilliBuckets[] = {1,   5,    10,   25,   50,    100,   250,
                                    500, 1000, 2500, 5000, 10000, 30000, 60000};

enum class Family { kNone, kRequests, kBucket, kSum };

Family FamilyOf(std::string_view name, bool* millis) {
  *millis = name.find("milli") != std::string_view::npos;
  auto ends = [&](std::string_view s) {
    return name.size() >= s.size() && name.substr(name.size() - s.size()) == s;
  };
  bool histogram = name.find("duration") != std::string_view::npos ||
                   name.find("latency") != std::string_view::npos;
  if (histogram && ends("_bucket")) return Family::kBucket;
  if (histogram && ends("_sum")) return Family::kSum;
  if (histogram && ends("_count")) return Family::kRequests;
  if (histogram) return Family::kNone;
  if (name.find("request") != std::string_view::npos ||
      name.find("_rq") != std::string_view::npos) {
    return Family::kRequests;
  }
  return Family::kNone;
}

double Seconds(SimDuration d) { return static_cast<double>(d.micros()) / 1e6; }

}  // namespace

std::string TestOnlyServiceRole(const ObjectStore& store, const ObjectKey& service) {
  Result<std::vector<LiveObject>> rollouts =
      store.List({.group = "argoproj.io", .kind = "Rollout", .ns = service.ns});
  if (!rollouts.ok()) return "";
  for (const LiveObject& r : *rollouts) {
    const json& strategy = At(r.doc(), {"spec", "strategy"});
    if (Str(At(strategy, {"canary", "canaryService"})) == service.name) {
      return "canary Service of Rollout " + r.key().name;
    }
    if (Str(At(strategy, {"blueGreen", "previewService"})) == service.name) {
      return "preview Service of Rollout " + r.key().name;
    }
  }
  return "";
}

TrafficModel::TrafficModel(std::string cluster, Simulator& sim, ObjectStore& store, Trace& trace,
                           const TrafficSpec& spec, uint64_t run_seed)
    : cluster_(std::move(cluster)),
      sim_(sim),
      store_(store),
      trace_(trace),
      spec_(spec),
      random_(run_seed, spec.seed_stream + "/" + cluster_) {
  watch_ = store_.AddObserver([this](const WatchEvent& e) { OnEvent(e); });
}

TrafficModel::~TrafficModel() { store_.RemoveObserver(watch_); }

void TrafficModel::OnEvent(const WatchEvent& event) {
  const ObjectKey& key = event.object.key();
  if (!active_) {
    if (store_.resources().FindKind("argoproj.io", "Rollout") == nullptr) return;
    // Argo Rollouts' CRDs are in: from now on every Service's traffic is tracked.
    active_ = true;
    Result<std::vector<LiveObject>> all = store_.List({.kind = "Service"});
    if (all.ok()) {
      for (const LiveObject& s : *all) dirty_.insert(s.key());
    }
  }
  if (key.group.empty() && key.kind == "Service") {
    dirty_.insert(key);
  } else if ((key.group.empty() && key.kind == "Pod") ||
             (key.group == "argoproj.io" && key.kind == "Rollout")) {
    MarkNamespace(key.ns);
  } else {
    return;
  }
  if (!flush_pending_) {
    flush_pending_ = true;
    sim_.After(SimDuration::Zero(), [this] { Flush(); });
  }
}

void TrafficModel::MarkNamespace(const std::string& ns) {
  Result<std::vector<LiveObject>> list = store_.List({.kind = "Service", .ns = ns});
  if (list.ok()) {
    for (const LiveObject& s : *list) dirty_.insert(s.key());
  }
  // Services already gone still need their last segment closed.
  for (auto it = services_.lower_bound(ObjectKey{"", "Service", ns, ""});
       it != services_.end() && it->first.kind == "Service" && it->first.ns == ns; ++it) {
    dirty_.insert(it->first);
  }
}

void TrafficModel::Flush() {
  flush_pending_ = false;
  std::set<ObjectKey> dirty;
  dirty.swap(dirty_);
  for (const ObjectKey& key : dirty) Recompute(key);
}

void TrafficModel::SetDegraded(const std::string& image, std::optional<double> success_rate,
                               std::optional<SimDuration> latency_p99, bool active) {
  if (active) {
    TrafficProfile& p = degraded_[image];
    if (success_rate) p.success_rate = success_rate;
    if (latency_p99) p.latency_p99 = latency_p99;
  } else {
    degraded_.erase(image);
  }
  for (const auto& [key, traffic] : services_) dirty_.insert(key);
  if (!flush_pending_) {
    flush_pending_ = true;
    sim_.After(SimDuration::Zero(), [this] { Flush(); });
  }
}

TrafficProfile TrafficModel::ProfileOf(const std::string& image) const {
  TrafficProfile p = spec_.defaults;
  auto overlay = [&p](const TrafficProfile& o) {
    if (o.success_rate) p.success_rate = o.success_rate;
    if (o.latency_p99) p.latency_p99 = o.latency_p99;
    if (o.success_rate_noise) p.success_rate_noise = o.success_rate_noise;
    if (o.latency_noise) p.latency_noise = o.latency_noise;
  };
  if (auto it = spec_.images.find(image); it != spec_.images.end()) overlay(it->second);
  if (auto it = degraded_.find(image); it != degraded_.end()) overlay(it->second);
  return p;
}

double TrafficModel::ServiceRps(const ObjectKey& service) const {
  if (auto it = spec_.services.find(service.ns + "/" + service.name); it != spec_.services.end()) {
    return it->second;
  }
  if (auto it = spec_.services.find(service.name); it != spec_.services.end()) return it->second;
  return spec_.defaults.rps.value_or(0);
}

// The Service's versions now: see the header for the split rules.
void TrafficModel::Recompute(const ObjectKey& key) {
  const LiveObject* svc = store_.Find(key);
  std::map<std::string, std::string> selector;
  if (svc != nullptr && !svc->being_deleted())
    selector = StringMap(At(svc->doc(), {"spec", "selector"}));
  std::vector<Version> versions;
  std::string stable_hash, rollout_name, app;
  Role role = Role::kNone;
  json weights;
  LabelSelector rollout_selector = LabelSelector::Nothing();
  if (!selector.empty()) {
    app = selector.count("app") ? selector.at("app") : key.name;
    Result<std::vector<LiveObject>> rollouts =
        store_.List({.group = "argoproj.io", .kind = "Rollout", .ns = key.ns});
    if (rollouts.ok()) {
      for (const LiveObject& r : *rollouts) {
        const json& canary = At(r.doc(), {"spec", "strategy", "canary"});
        const json& bg = At(r.doc(), {"spec", "strategy", "blueGreen"});
        Result<LabelSelector> sel = LabelSelector::FromJson(At(r.doc(), {"spec", "selector"}));
        if (Str(At(canary, {"stableService"})) == key.name) {
          bool routed = !At(canary, {"trafficRouting"}).is_null();
          role = routed ? Role::kRoutedStable : Role::kStable;
        } else if (Str(At(canary, {"canaryService"})) == key.name ||
                   Str(At(bg, {"previewService"})) == key.name) {
          role = Role::kTestOnly;
        } else if (Str(At(bg, {"activeService"})) == key.name) {
          role = Role::kStable;
        } else if (sel.ok() && !sel->empty() && sel->Matches(selector)) {
          role = Role::kSelected;
        } else {
          continue;
        }
        rollout_name = r.key().name;
        stable_hash = Str(At(r.status(), {"stableRS"}));
        weights = At(r.status(), {"canary", "weights"});
        if (sel.ok()) rollout_selector = *sel;
        break;
      }
    }
  }
  double rps = ServiceRps(key);
  bool named = spec_.services.count(key.ns + "/" + key.name) || spec_.services.count(key.name);
  if (role == Role::kTestOnly && !named) rps = 0;
  if (!selector.empty() && rps > 0) {
    bool by_weight = role == Role::kRoutedStable && weights.is_object();
    LabelSelector pods_of = by_weight ? rollout_selector : LabelSelector::FromMap(selector);
    Result<std::vector<LiveObject>> pods =
        store_.List({.kind = "Pod", .ns = key.ns, .selector = pods_of});
    std::map<std::pair<std::string, std::string>, double> ready;  // (hash, image) → pods
    if (pods.ok()) {
      for (const LiveObject& p : *pods) {
        if (p.being_deleted() || !workload::PodReady(*p.object)) continue;
        ready[{PodHash(p.doc()), PodImage(p.doc())}] += 1;
      }
    }
    std::map<std::pair<std::string, std::string>, double> share;
    if (by_weight) {
      std::map<std::string, double> per_hash;
      for (const auto& [version, count] : ready) per_hash[version.first] += count;
      for (const char* side : {"canary", "stable"}) {
        std::string hash = Str(At(weights, {side, "podTemplateHash"}));
        const json& w = At(weights, {side, "weight"});
        if (!w.is_number() || per_hash.count(hash) == 0) continue;
        // A hash's weight goes to its ready pods (several images only mid-change).
        for (const auto& [version, count] : ready) {
          if (version.first == hash) share[version] += w.get<double>() * count / per_hash[hash];
        }
      }
    } else {
      share = ready;
    }
    double total = 0;
    for (const auto& [v, s] : share) total += s;
    for (const auto& [v, s] : share) {
      if (s <= 0 || total <= 0) continue;
      TrafficProfile p = ProfileOf(v.second);
      versions.push_back({.hash = v.first,
                          .image = v.second,
                          .rps = rps * s / total,
                          .success_rate = p.success_rate.value_or(1),
                          .latency_p99 = p.latency_p99.value_or(SimDuration::Zero())});
    }
  }
  auto [it, fresh] = services_.try_emplace(key);
  ServiceTraffic& traffic = it->second;
  if (!app.empty() && traffic.app != app) {
    traffic.app = app;
    traffic.labels.clear();
  }
  bool changed =
      traffic.history.empty() ? !versions.empty() : traffic.history.back().versions != versions;
  bool stable_changed = traffic.stable_hash != stable_hash;
  traffic.stable_hash = stable_hash;
  if (changed) traffic.history.push_back({sim_.now(), versions});
  if (fresh && versions.empty()) {
    services_.erase(it);
    return;
  }
  // Only user-facing traffic counts toward exposure: not a canary or preview Service's tests.
  const bool user_facing = role != Role::kNone && role != Role::kTestOnly;
  if (!user_facing && traffic.canary_share == 0 && traffic.bad_rps == 0) return;
  if (!changed && !stable_changed && user_facing) return;
  // The stable version's success rate: its pods', else its ReplicaSet's template image.
  std::optional<double> stable_rate;
  if (!stable_hash.empty()) {
    for (const Version& v : versions) {
      if (v.hash == stable_hash) stable_rate = v.success_rate;
    }
    if (!stable_rate) {
      const LiveObject* rs =
          store_.Find({"apps", "ReplicaSet", key.ns, rollout_name + "-" + stable_hash});
      if (rs != nullptr) {
        json pod = {{"spec", At(rs->doc(), {"spec", "template", "spec"})}};
        stable_rate = ProfileOf(PodImage(pod)).success_rate.value_or(1);
      }
    }
  }
  double canary = 0, bad = 0, rps_now = 0;
  std::string parts;
  for (const Version& v : versions) {
    rps_now += v.rps;
    bool is_stable = v.hash == stable_hash;
    if (user_facing && !stable_hash.empty() && !is_stable) canary += v.rps;
    if (user_facing && stable_rate && !is_stable && v.success_rate < *stable_rate) {
      bad += v.rps * (1 - v.success_rate);
    }
    parts += fmt::format("{}{}{} {:.4g}% ({})", parts.empty() ? "" : ", ",
                         stable_hash.empty() ? "" : (is_stable ? "stable " : "canary "),
                         v.hash.empty() ? v.image : v.hash + " " + v.image,
                         rps > 0 ? 100 * v.rps / rps : 0.0, v.success_rate);
  }
  double canary_share = rps_now > 0 ? canary / rps_now : 0;
  if (!changed && canary_share == traffic.canary_share && bad == traffic.bad_rps) return;
  traffic.canary_share = canary_share;
  traffic.bad_rps = bad;
  TraceRecord r;
  r.t = sim_.now();
  r.event = "TrafficShifted";
  r.cluster = cluster_;
  r.object = key.ToString();
  r.detail = fmt::format("rps={:.6g} canary={:.6g} bad_rps={:.6g}: {}", rps_now, canary_share, bad,
                         parts.empty() ? "no ready endpoint" : parts);
  trace_.Append(std::move(r));
}

std::vector<TrafficModel::Version> TrafficModel::Split(const ObjectKey& service) const {
  auto it = services_.find(service);
  if (it == services_.end() || it->second.history.empty()) return {};
  return it->second.history.back().versions;
}

const TrafficModel::Noise& TrafficModel::NoiseFor(const ObjectKey& service, const Version& v) {
  auto [it, fresh] = noise_.try_emplace({service, v.hash, v.image});
  if (fresh) {
    TrafficProfile p = ProfileOf(v.image);
    double sn = p.success_rate_noise.value_or(0);
    double ln = p.latency_noise.value_or(0);
    if (sn > 0) it->second.success_offset = random_.UniformReal(-sn, sn);
    if (ln > 0) it->second.latency_factor = 1 + random_.UniformReal(-ln, ln);
  }
  return it->second;
}

const PromLabels& TrafficModel::LabelsFor(const ObjectKey& key, ServiceTraffic& traffic,
                                          const Version& v) {
  auto [it, fresh] = traffic.labels.try_emplace({v.hash, v.image});
  if (!fresh) return it->second;
  PromLabels& l = it->second;
  l = {{"namespace", key.ns},
       {"service", key.name},
       {"exported_service", key.name},
       {"destination_service", fmt::format("{}.{}.svc.cluster.local", key.name, key.ns)},
       {"destination_service_name", key.name},
       {"destination_service_namespace", key.ns},
       {"app", traffic.app},
       {"version", ImageTag(v.image)},
       {"reporter", "source"}};
  if (!v.hash.empty()) {
    l["rollouts_pod_template_hash"] = v.hash;
    l["pod_template_hash"] = v.hash;
  }
  return l;
}

std::vector<SeriesPoint> TrafficModel::Select(std::string_view name,
                                              const std::function<bool(const PromLabels&)>& matches,
                                              SimDuration range) {
  bool millis = false;
  Family family = FamilyOf(name, &millis);
  std::vector<SeriesPoint> out;
  if (family == Family::kNone) return out;
  const double now = Seconds(sim_.now() - SimTime::Zero());
  const double from = now - Seconds(range);
  const double unit = millis ? 1000.0 : 1.0;
  for (auto& [key, traffic] : services_) {
    // Per version (hash, image): requests and failures since t=0 and within the range, the
    // request-weighted latency terms, and the rates now.
    struct Acc {
      Version version;
      double total = 0, failed_total = 0, window = 0, failed_window = 0;
      double rate_now = 0, failed_now = 0;
      std::vector<std::pair<double, double>> window_segments;  // (requests, p99 seconds)
      std::vector<std::pair<double, double>> total_segments;
    };
    std::map<std::pair<std::string, std::string>, Acc> acc;
    for (size_t i = 0; i < traffic.history.size(); ++i) {
      const Segment& seg = traffic.history[i];
      double a = Seconds(seg.start - SimTime::Zero());
      double b = i + 1 < traffic.history.size()
                     ? Seconds(traffic.history[i + 1].start - SimTime::Zero())
                     : now;
      double overlap = std::max(0.0, std::min(b, now) - std::max(a, from));
      bool last = i + 1 == traffic.history.size();
      for (const Version& v : seg.versions) {
        Acc& x = acc[{v.hash, v.image}];
        x.version = v;
        double n_total = v.rps * (b - a), n_window = v.rps * overlap;
        x.total += n_total;
        x.failed_total += n_total * (1 - v.success_rate);
        x.window += n_window;
        x.failed_window += n_window * (1 - v.success_rate);
        x.total_segments.push_back({n_total, Seconds(v.latency_p99)});
        if (n_window > 0) x.window_segments.push_back({n_window, Seconds(v.latency_p99)});
        if (last) {
          x.rate_now = v.rps;
          x.failed_now = v.rps * (1 - v.success_rate);
        }
      }
    }
    for (auto& [id, x] : acc) {
      bool in_range = range.micros() == 0 ? x.total > 0 : x.window > 0;
      if (!in_range) continue;
      const PromLabels& base = LabelsFor(key, traffic, x.version);
      const Noise& noise = NoiseFor(key, x.version);
      auto observed = [&](double requests, double failed) {
        if (requests <= 0) return 0.0;
        return std::clamp((requests - failed) / requests + noise.success_offset, 0.0, 1.0);
      };
      double ok_window = observed(x.window, x.failed_window);
      double ok_total = observed(x.total, x.failed_total);
      double ok_now = observed(x.rate_now, x.failed_now);
      if (family == Family::kRequests) {
        for (bool success : {true, false}) {
          double f = success ? 1.0 : 0.0;
          SeriesPoint p;
          p.labels = base;
          for (const char* l : {"code", "status", "status_code", "response_code"}) {
            p.labels[l] = success ? "200" : "500";
          }
          p.labels["envoy_response_code_class"] = success ? "2" : "5";
          auto part = [&](double n, double ok) { return n * (f * ok + (1 - f) * (1 - ok)); };
          p.increase = part(x.window, ok_window);
          p.total = part(x.total, ok_total);
          p.rate_now = part(x.rate_now, ok_now);
          p.present = range.micros() == 0 ? p.total > 0 : p.increase > 0;
          if (p.present && matches(p.labels)) out.push_back(std::move(p));
        }
        continue;
      }
      auto below = [&](const std::vector<std::pair<double, double>>& segs, double le_seconds) {
        double n = 0;
        for (const auto& [requests, p99] : segs) {
          n += requests * LatencyCdf(le_seconds, p99 * noise.latency_factor);
        }
        return n;
      };
      if (family == Family::kSum) {
        SeriesPoint p;
        p.labels = base;
        // Mean of the exponential: p99 / ln(100).
        for (const auto& [requests, p99] : x.window_segments) {
          p.increase += requests * p99 * noise.latency_factor / std::log(100.0) * unit;
        }
        for (const auto& [requests, p99] : x.total_segments) {
          p.total += requests * p99 * noise.latency_factor / std::log(100.0) * unit;
        }
        p.rate_now = x.rate_now * Seconds(x.version.latency_p99) * noise.latency_factor /
                     std::log(100.0) * unit;
        p.present = true;
        if (matches(p.labels)) out.push_back(std::move(p));
        continue;
      }
      std::vector<double> bounds(millis ? std::begin(kMilliBuckets) : std::begin(kSecondBuckets),
                                 millis ? std::end(kMilliBuckets) : std::end(kSecondBuckets));
      bounds.push_back(std::numeric_limits<double>::infinity());
      for (double le : bounds) {
        SeriesPoint p;
        p.labels = base;
        p.labels["le"] = std::isinf(le) ? "+Inf" : FormatPromFloat(le);
        double le_seconds = le / unit;
        p.increase = std::isinf(le) ? x.window : below(x.window_segments, le_seconds);
        p.total = std::isinf(le) ? x.total : below(x.total_segments, le_seconds);
        p.rate_now =
            x.rate_now * (std::isinf(le) ? 1
                                         : LatencyCdf(le_seconds, Seconds(x.version.latency_p99) *
                                                                      noise.latency_factor));
        p.present = true;
        if (matches(p.labels)) out.push_back(std::move(p));
      }
    }
  }
  return out;
}

}  // namespace fleetsim::rollouts
