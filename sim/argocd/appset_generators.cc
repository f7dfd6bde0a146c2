#include "sim/argocd/appset_generators.h"

#include <algorithm>
#include <map>

#include "sim/argocd/appset_generators_internal.h"
#include "sim/cluster/label_selector.h"
#include "sim/manifest/yaml_to_json.h"

namespace fleetsim {
namespace {

constexpr SimDuration kThirtyMinutes = SimDuration::Minutes(30);

// The kinds Argo CD reads through services this simulation does not model.
bool IsExternalKind(std::string_view kind) {
  return kind == "scmProvider" || kind == "pullRequest" || kind == "plugin" ||
         kind == "clusterDecisionResource";
}

Result<std::vector<ParamSet>> ListParams(const Json& list, GeneratorContext& ctx) {
  std::vector<ParamSet> out;
  const Json elements = list.value("elements", Json::array());
  for (const Json& element : elements) {
    if (!element.is_object()) {
      return Status::Error("error unmarshling list element json: cannot unmarshal " +
                           std::string(element.is_array() ? "array" : "string") +
                           " into Go value of type map[string]interface {}");
    }
    if (ctx.spec.go_template) {
      out.push_back(element);
      continue;
    }
    ParamSet params = Json::object();
    for (const auto& [key, value] : element.items()) {
      if (key == "values") {
        if (!value.is_object()) return Status::Error("error parsing values map");
        for (const auto& [k, v] : value.items()) {
          if (!v.is_string()) return Status::Error("error parsing value as string %!w(<nil>)");
          params["values." + k] = v;
        }
      } else {
        if (!value.is_string()) return Status::Error("error parsing value as string %!w(<nil>)");
        params[key] = value;
      }
    }
    out.push_back(std::move(params));
  }
  auto yaml = list.find("elementsYaml");
  if (yaml != list.end() && yaml->is_string() && !yaml->get<std::string>().empty()) {
    Result<std::vector<Json>> docs = YamlToJson(yaml->get<std::string>());
    if (!docs.ok() || docs->empty() || !(*docs)[0].is_array()) {
      return Status::Error(
          "error unmarshling decoded ElementsYaml " +
          (docs.ok() ? std::string("json: cannot unmarshal into []map[string]interface {}")
                     : docs.error()));
    }
    for (const Json& e : (*docs)[0]) out.push_back(e);
  }
  return out;
}

Result<std::vector<ParamSet>> ClusterParamSets(const Json& clusters, GeneratorContext& ctx) {
  Json selector_doc = clusters.value("selector", Json::object());
  bool ignore_local = !selector_doc.value("matchLabels", Json::object()).empty() ||
                      !selector_doc.value("matchExpressions", Json::array()).empty();
  Result<LabelSelector> selector = LabelSelector::FromJson(selector_doc);
  if (!selector.ok()) return Status::Error("error converting label selector: " + selector.error());
  Result<std::vector<AppSetCluster>> secrets = ctx.sources.ClusterSecrets();
  if (!secrets.ok()) return Status::Error("error getting cluster secrets: " + secrets.error());
  std::vector<ParamSet> out;
  bool has_local_secret = false;
  for (const AppSetCluster& c : *secrets) {
    if (!selector->Matches(c.labels)) continue;
    if (c.server == "https://kubernetes.default.svc") has_local_secret = true;
    ParamSet params = ClusterParams(c, ctx.spec.go_template);
    Status values = AppendValues(clusters, params, ctx);
    if (!values.ok()) {
      return Status::Error("error appending templated values for cluster: " + values.message());
    }
    out.push_back(std::move(params));
  }
  if (!ignore_local && !has_local_secret) {
    ParamSet params = LocalClusterParams();
    Status values = AppendValues(clusters, params, ctx);
    if (!values.ok()) {
      return Status::Error("error appending templated values for local cluster: " +
                           values.message());
    }
    out.push_back(std::move(params));
  }
  if (clusters.value("flatList", false)) {
    return std::vector<ParamSet>{{{"clusters", out}}};
  }
  return out;
}

// CombineStringMaps (fasttemplate) or mergo with the first child winning (goTemplate).
Result<ParamSet> Combine(const ParamSet& a, const ParamSet& b, bool go_template) {
  if (go_template) {
    ParamSet tmp = Json::object();
    MergeOverride(tmp, b);
    MergeOverride(tmp, a);
    return tmp;
  }
  ParamSet res = Json::object();
  for (const auto& [k, v] : a.items()) res[k] = GoPrintValue(v);
  for (const auto& [k, v] : b.items()) {
    std::string value = GoPrintValue(v);
    auto it = res.find(k);
    if (it != res.end() && it->get<std::string>() != value) {
      return Status::Error(
          "failed to combine string maps with merging params for the matrix generator: found "
          "duplicate key " +
          k + " with different value, a: " + it->get<std::string>() + " ,b: " + value);
    }
    res[k] = value;
  }
  return res;
}

Result<std::vector<ParamSet>> ChildParams(const Json& child, GeneratorContext& ctx,
                                          const ParamSet& outer, int depth) {
  Result<std::vector<ParamSet>> params = TransformGenerator(child, ctx, outer, depth + 1);
  if (!params.ok()) {
    return Status::Error("child generator returned an error on parameter generation: " +
                         params.error());
  }
  return params;
}

Result<std::vector<ParamSet>> MatrixParams(const Json& matrix, GeneratorContext& ctx, int depth) {
  const Json children = matrix.value("generators", Json::array());
  if (children.size() < 2) {
    return Status::Error("found less than two generators, Matrix support only two");
  }
  if (children.size() > 2) {
    return Status::Error("found more than two generators, Matrix support only two");
  }
  Result<std::vector<ParamSet>> first = ChildParams(children[0], ctx, Json::object(), depth);
  if (!first.ok()) {
    return Status::Error("error failed to get params for first generator in matrix generator: " +
                         first.error());
  }
  std::vector<ParamSet> out;
  for (const ParamSet& a : *first) {
    Result<std::vector<ParamSet>> second = ChildParams(children[1], ctx, a, depth);
    if (!second.ok()) {
      return Status::Error("failed to get params for second generator in the matrix generator: " +
                           second.error());
    }
    for (const ParamSet& b : *second) {
      Result<ParamSet> combined = Combine(a, b, ctx.spec.go_template);
      if (!combined.ok()) return combined.status();
      out.push_back(std::move(combined).value());
    }
  }
  return out;
}

Result<std::vector<ParamSet>> MergeParams(const Json& merge, GeneratorContext& ctx, int depth) {
  const Json children = merge.value("generators", Json::array());
  if (children.size() < 2) {
    return Status::Error("found less than two generators, Merge requires two or more");
  }
  std::vector<std::string> keys;
  for (const Json& k : merge.value("mergeKeys", Json::array())) {
    if (k.is_string()) keys.push_back(k.get<std::string>());
  }
  std::vector<std::vector<ParamSet>> sets;
  for (size_t i = 0; i < children.size(); ++i) {
    Result<std::vector<ParamSet>> p = ChildParams(children[i], ctx, Json::object(), depth);
    if (!p.ok()) {
      return Status::Error(
          "error getting param sets from generators: error getting params from "
          "generator " +
          std::to_string(i + 1) + " of " + std::to_string(children.size()) + ": " + p.error());
    }
    sets.push_back(std::move(p).value());
  }
  // Param sets by the JSON of their merge-key values (json.Marshal sorts the keys); the result is
  // ordered by that key (Argo CD's order is a Go map's, i.e. unspecified).
  auto by_key = [&](const std::vector<ParamSet>& list) -> Result<std::map<std::string, ParamSet>> {
    if (keys.empty()) {
      return Status::Error(
          "error getting param sets by merge key: no merge keys were specified, "
          "Merge requires at least one");
    }
    std::map<std::string, ParamSet> out;
    for (const ParamSet& p : list) {
      Json key = Json::object();
      for (const std::string& k : keys) key[k] = p.contains(k) ? p[k] : Json();
      std::string text = key.dump();
      if (!out.emplace(text, p).second) {
        return Status::Error(
            "error getting param sets by merge key: the parameters from a "
            "generator were not unique by the given mergeKeys, Merge requires all "
            "param sets to be unique. Duplicate key was " +
            text);
      }
    }
    return out;
  };
  Result<std::map<std::string, ParamSet>> base = by_key(sets[0]);
  if (!base.ok()) return base.status();
  for (size_t i = 1; i < sets.size(); ++i) {
    Result<std::map<std::string, ParamSet>> other = by_key(sets[i]);
    if (!other.ok()) return other.status();
    for (auto& [key, params] : *base) {
      auto it = other->find(key);
      if (it == other->end()) continue;
      if (ctx.spec.go_template) {
        MergeOverride(params, it->second);
      } else {
        for (const auto& [k, v] : it->second.items()) params[k] = v;
      }
    }
  }
  std::vector<ParamSet> out;
  for (auto& [key, params] : *base) out.push_back(std::move(params));
  return out;
}

// InterpolateGenerator: the entry's strings rendered with the outer parameter set; `values`
// entries that refer to a missing key are kept as written.
Result<Json> Interpolate(const Json& node, GeneratorContext& ctx, const ParamSet& outer,
                         bool in_values) {
  if (node.is_string()) {
    Result<std::string> r = ctx.renderer.Replace(node.get<std::string>(), outer);
    if (r.ok()) return Json(std::move(r).value());
    if (in_values && (r.error().find("map has no entry for key") != std::string::npos ||
                      r.error().find("can't evaluate field") != std::string::npos)) {
      return node;
    }
    return Status::Error("failed to replace parameters in generator: " + r.error());
  }
  if (node.is_array()) {
    Json out = Json::array();
    for (const Json& v : node) {
      Result<Json> r = Interpolate(v, ctx, outer, in_values);
      if (!r.ok()) return r;
      out.push_back(std::move(r).value());
    }
    return out;
  }
  if (node.is_object()) {
    Json out = Json::object();
    for (const auto& [k, v] : node.items()) {
      Result<Json> r = Interpolate(v, ctx, outer, in_values || k == "values");
      if (!r.ok()) return r;
      out[k] = std::move(r).value();
    }
    return out;
  }
  return node;
}

Result<std::vector<ParamSet>> KindParams(const std::string& kind, const Json& body,
                                         GeneratorContext& ctx, int depth) {
  if (kind == "list") return ListParams(body, ctx);
  if (kind == "clusters") return ClusterParamSets(body, ctx);
  if (kind == "git") return GitParams(body, ctx);
  if (depth >= 2 && (kind == "matrix" || kind == "merge")) {
    return Status::Error("found more than one generator in matrix.Generators");
  }
  if (kind == "matrix") return MatrixParams(body, ctx, depth);
  if (kind == "merge") return MergeParams(body, ctx, depth);
  return Status::Error("the " + kind +
                       " generator reads an external service that fleetsim does not simulate");
}

}  // namespace

Status AppendValues(const Json& generator, ParamSet& params, GeneratorContext& ctx) {
  auto it = generator.find("values");
  if (it == generator.end() || !it->is_object()) return Status::Ok();
  std::map<std::string, std::string> rendered;
  for (const auto& [k, v] : it->items()) {
    Result<std::string> r = ctx.renderer.Replace(v.is_string() ? v.get<std::string>() : "", params);
    if (!r.ok()) {
      return Status::Error(
          "failed to replace templated string: failed to replace templated "
          "string with rendered values: " +
          r.error());
    }
    rendered[k] = std::move(r).value();
  }
  for (const auto& [k, v] : rendered) {
    if (ctx.spec.go_template) {
      params["values"][k] = v;
    } else {
      params["values." + k] = v;
    }
  }
  return Status::Ok();
}

Result<std::vector<ParamSet>> TransformGenerator(const Json& entry, GeneratorContext& ctx,
                                                 const ParamSet& outer, int depth) {
  Json generator = entry;
  if (!outer.empty()) {
    Result<Json> interpolated = Interpolate(entry, ctx, outer, false);
    if (!interpolated.ok()) return interpolated.status();
    generator = std::move(interpolated).value();
  }
  LabelSelector selector;
  bool has_selector = generator.contains("selector") && generator["selector"].is_object();
  if (has_selector) {
    Result<LabelSelector> s = LabelSelector::FromJson(generator["selector"]);
    if (!s.ok()) return Status::Error("error parsing label selector: " + s.error());
    selector = *s;
  }
  std::vector<ParamSet> out;
  int kinds = 0;
  for (std::string_view kind_view : KnownGeneratorKinds()) {
    std::string kind(kind_view);
    auto it = generator.find(kind);
    if (it == generator.end() || it->is_null()) continue;
    if (depth > 0 && ++kinds > 1)
      return Status::Error("found more than one generator in matrix.Generators");
    Result<std::vector<ParamSet>> params = KindParams(kind, *it, ctx, depth);
    if (!params.ok()) return params.status();
    for (ParamSet& p : *params) {
      if (has_selector) {
        std::map<std::string, std::string> flat;
        Json flattened = FlattenToStrings(p);
        for (const auto& [k, v] : flattened.items()) flat[k] = v.get<std::string>();
        if (!selector.Matches(flat)) continue;
      }
      out.push_back(std::move(p));
    }
  }
  if (depth > 0 && kinds == 0) return Status::Error("child generator generated no parameters");
  return out;
}

SimDuration GeneratorRequeueAfter(const Json& entry, SimDuration git_default) {
  SimDuration best = SimDuration::Zero();
  auto consider = [&](SimDuration d) {
    if (d > SimDuration::Zero() && (best == SimDuration::Zero() || d < best)) best = d;
  };
  for (std::string_view kind : KnownGeneratorKinds()) {
    auto it = entry.find(std::string(kind));
    if (it == entry.end() || !it->is_object()) continue;
    auto seconds = it->find("requeueAfterSeconds");
    bool explicit_requeue = seconds != it->end() && seconds->is_number_integer();
    if (kind == "git" || kind == "clusterDecisionResource") {
      consider(explicit_requeue ? SimDuration::Seconds(seconds->get<int64_t>()) : git_default);
    } else if (IsExternalKind(kind)) {
      consider(explicit_requeue ? SimDuration::Seconds(seconds->get<int64_t>()) : kThirtyMinutes);
    } else if (kind == "matrix" || kind == "merge") {
      for (const Json& child : it->value("generators", Json::array())) {
        consider(GeneratorRequeueAfter(child, git_default));
      }
    }
  }
  return best;
}

}  // namespace fleetsim
