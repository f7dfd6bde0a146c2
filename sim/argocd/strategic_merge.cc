#include "sim/argocd/strategic_merge.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace fleetsim {
namespace {

using json = Json;

constexpr std::string_view kDirective = "$patch";
constexpr std::string_view kRetainKeys = "$retainKeys";
constexpr std::string_view kDeleteFromList = "$deleteFromPrimitiveList/";
constexpr std::string_view kSetElementOrder = "$setElementOrder/";

// The patch metadata of a field of the Application type (its Go struct tags).
struct FieldMeta {
  bool merge = false;
  std::string key;  // patchMergeKey of a list of maps
};

FieldMeta MetaFor(const std::vector<std::string>& path) {
  if (path.size() == 2 && path[0] == "metadata" && path[1] == "finalizers") return {true, ""};
  if (path.size() == 2 && path[0] == "metadata" && path[1] == "ownerReferences") {
    return {true, "uid"};
  }
  return {};
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Go decodes JSON into interface{} as map, slice, string, float64 or bool: numbers are one type.
int GoKind(const json& v) {
  if (v.is_object()) return 0;
  if (v.is_array()) return 1;
  if (v.is_string()) return 2;
  if (v.is_number()) return 3;
  if (v.is_boolean()) return 4;
  return 5;
}

// The value an element is ordered and matched by: itself, or its merge key's value.
json KeyOf(const json& item, const std::string& key) {
  if (key.empty()) return item;
  auto it = item.is_object() ? item.find(key) : item.end();
  return it == item.end() ? json() : *it;
}

int IndexIn(const std::vector<json>& list, const json& item, const std::string& key) {
  json want = KeyOf(item, key);
  for (size_t i = 0; i < list.size(); ++i) {
    if (KeyOf(list[i], key) == want) return static_cast<int>(i);
  }
  return -1;
}

std::vector<json> Items(const json& list) {
  return list.is_array() ? std::vector<json>(list.begin(), list.end()) : std::vector<json>();
}

// normalizeElementOrder: patch items in `patch_order`, server-only items in `server_order`, then
// interleaved: a server-only item goes first only when both are in the live list and it is
// earlier there.
json NormalizeOrder(std::vector<json> patch_items, std::vector<json> server_only,
                    const std::vector<json>& patch_order, const std::vector<json>& server_order,
                    const std::string& key) {
  auto by = [&](const std::vector<json>& order) {
    return [&order, &key](const json& a, const json& b) {
      return IndexIn(order, a, key) < IndexIn(order, b, key);
    };
  };
  std::stable_sort(patch_items.begin(), patch_items.end(), by(patch_order));
  std::stable_sort(server_only.begin(), server_only.end(), by(server_order));
  json out = json::array();
  size_t i = 0, j = 0;
  while (i < server_only.size() || j < patch_items.size()) {
    bool take_left = j >= patch_items.size();
    if (!take_left && i < server_only.size()) {
      int li = IndexIn(server_order, server_only[i], key);
      int ri = IndexIn(server_order, patch_items[j], key);
      take_left = li >= 0 && ri >= 0 && li < ri;
    }
    out.push_back(take_left ? server_only[i++] : patch_items[j++]);
  }
  return out;
}

// Splits `merged` into the items present in `by` (by merge key for maps) and the others.
void Partition(const json& merged, const std::vector<json>& by, const std::string& key,
               std::vector<json>* present, std::vector<json>* others) {
  for (const json& v : merged) (IndexIn(by, v, key) >= 0 ? present : others)->push_back(v);
}

Result<json> MergeMap(json original, json patch, std::vector<std::string>& path);

Status CheckElementTypes(const json& a, const json& b) {
  int kind = -1;
  for (const json* list : {&a, &b}) {
    for (const json& v : *list) {
      if (v.is_array()) return Status::Error("lists of lists are not supported");
      if (kind >= 0 && GoKind(v) != kind) {
        return Status::Error("list element types are not identical: [" + a.dump() + " " + b.dump() +
                             "]");
      }
      kind = GoKind(v);
    }
  }
  return Status::Ok();
}

// mergeSlice on a list field with patchStrategy merge.
Result<json> MergeSlice(json original, json patch, const std::string& key, bool delete_list,
                        std::vector<std::string>& path) {
  if (original.empty() && patch.empty()) return original;
  if (Status s = CheckElementTypes(original, patch); !s.ok()) return s;
  bool maps = (!original.empty() ? original.front() : patch.front()).is_object();
  json merged = json::array();
  if (!maps) {
    if (delete_list) {
      for (const json& v : original) {
        if (std::find(patch.begin(), patch.end(), v) == patch.end()) merged.push_back(v);
      }
      return merged;
    }
    for (const json* list : {&original, &patch}) {
      for (const json& v : *list) {
        if (std::find(merged.begin(), merged.end(), v) == merged.end()) merged.push_back(v);
      }
    }
  } else {
    if (key.empty()) return Status::Error("cannot merge lists without merge key for type map");
    json plain = json::array();
    bool replace = false;
    for (const json& v : patch) {
      auto d = v.find(std::string(kDirective));
      if (d == v.end()) {
        plain.push_back(v);
      } else if (*d == "delete") {
        if (!v.contains(key)) {
          return Status::Error("map: " + v.dump() + " does not contain declared merge key: " + key);
        }
        json kept = json::array();
        for (const json& o : original) {
          if (KeyOf(o, key) != v[key]) kept.push_back(o);
        }
        original = std::move(kept);
      } else if (*d == "replace") {
        replace = true;
      } else if (*d == "merge") {
        return Status::Error("merging lists cannot yet be specified in the patch");
      } else {
        return Status::Error("Unknown patch type: " + d->dump() + " in map: " + v.dump());
      }
    }
    if (replace) {
      original = std::move(plain);
      plain = json::array();
    }
    patch = plain;
    merged = original;
    path.push_back("[]");
    for (const json& v : patch) {
      if (!v.contains(key)) {
        path.pop_back();
        return Status::Error("map: " + v.dump() + " does not contain declared merge key: " + key);
      }
      auto found = std::find_if(merged.begin(), merged.end(),
                                [&](const json& o) { return KeyOf(o, key) == v[key]; });
      if (found == merged.end()) {
        merged.push_back(v);
        continue;
      }
      Result<json> m = MergeMap(*found, v, path);
      if (!m.ok()) {
        path.pop_back();
        return m;
      }
      *found = std::move(m).value();
    }
    path.pop_back();
  }
  std::vector<json> present, others;
  Partition(merged, Items(patch), key, &present, &others);
  return NormalizeOrder(std::move(present), std::move(others), Items(patch), Items(original), key);
}

// mergeSliceHandler: merge when the field says so, else the patch replaces the list.
Result<json> MergeSliceField(const json& original, const json& patch, bool delete_list,
                             std::vector<std::string>& path) {
  FieldMeta meta = MetaFor(path);
  if (!meta.merge) return patch;
  return MergeSlice(original, patch, meta.key, delete_list, path);
}

Status ApplyRetainKeys(json& original, json& patch) {
  auto retain = patch.find(std::string(kRetainKeys));
  if (retain == patch.end()) return Status::Ok();
  json keys = *retain;
  patch.erase(retain);
  if (!keys.is_array()) return Status::Error("invalid patch format of retainKeys");
  auto listed = [&](const std::string& k) {
    return std::find(keys.begin(), keys.end(), json(k)) != keys.end();
  };
  for (const auto& [k, v] : patch.items()) {
    if (v.is_null() || StartsWith(k, kDeleteFromList) || StartsWith(k, kSetElementOrder)) continue;
    if (!listed(k)) return Status::Error("invalid patch format of retainKeys");
  }
  for (auto it = original.begin(); it != original.end();) {
    it = listed(it.key()) ? std::next(it) : original.erase(it);
  }
  return Status::Ok();
}

// mergePatchIntoOriginal: each $setElementOrder/<field> with its list, ordered by that list.
Status ApplySetElementOrder(json& original, json& patch, std::vector<std::string>& path) {
  std::vector<std::string> directives;
  for (const auto& [k, v] : patch.items()) {
    if (StartsWith(k, kSetElementOrder)) directives.push_back(k);
  }
  for (const std::string& directive : directives) {
    json order = patch[directive];
    patch.erase(directive);
    std::string field = directive.substr(kSetElementOrder.size());
    if (field.empty() || !order.is_array()) {
      return Status::Error("invalid patch format of setElementOrder list");
    }
    bool in_original = original.contains(field), in_patch = patch.contains(field);
    if (!in_original && !in_patch) continue;
    if ((in_original && !original[field].is_array()) || (in_patch && !patch[field].is_array())) {
      return Status::Error("invalid patch format of setElementOrder list");
    }
    path.push_back(field);
    FieldMeta meta = MetaFor(path);
    Result<json> merged = !in_patch ? Result<json>(original[field])
                          : !in_original
                              ? Result<json>(patch[field])
                              : MergeSliceField(original[field], patch[field], false, path);
    path.pop_back();
    if (!merged.ok()) return merged.status();
    std::vector<json> present, others;
    Partition(*merged, Items(order), meta.key, &present, &others);
    json before = in_original ? original[field] : json::array();
    original[field] = NormalizeOrder(std::move(present), std::move(others), Items(order),
                                     Items(before), meta.key);
    patch.erase(field);
  }
  return Status::Ok();
}

Result<json> MergeMap(json original, json patch, std::vector<std::string>& path) {
  auto directive = patch.find(std::string(kDirective));
  if (directive != patch.end()) {
    if (*directive == "replace") {
      patch.erase(directive);
      return patch;
    }
    if (*directive == "delete") return json::object();
    return Status::Error("Unknown patch type: " + directive->dump() + " in map: " + patch.dump());
  }
  if (!original.is_object()) original = json::object();
  if (Status s = ApplyRetainKeys(original, patch); !s.ok()) return s;
  if (Status s = ApplySetElementOrder(original, patch, path); !s.ok()) return s;
  for (const auto& [patch_key, value] : patch.items()) {
    std::string k = patch_key;
    bool delete_list = StartsWith(k, kDeleteFromList);
    if (delete_list) {
      k = k.substr(kDeleteFromList.size());
      if (k.empty()) return Status::Error("invalid patch format of primitive list");
    }
    if (value.is_null()) {
      original.erase(k);
      continue;
    }
    auto it = original.find(k);
    if (it == original.end() || GoKind(*it) != GoKind(value)) {
      original[k] = value;
      continue;
    }
    path.push_back(k);
    Result<json> merged = it->is_object()  ? MergeMap(*it, value, path)
                          : it->is_array() ? MergeSliceField(*it, value, delete_list, path)
                                           : Result<json>(value);
    path.pop_back();
    if (!merged.ok()) return merged;
    original[k] = std::move(merged).value();
  }
  return original;
}

// What json.Unmarshal into the Go struct keeps: no nulls, no directive keys.
void AsDecoded(json& v) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end();) {
      if (it->is_null() || StartsWith(it.key(), "$")) {
        it = v.erase(it);
      } else {
        AsDecoded(*it);
        ++it;
      }
    }
  } else if (v.is_array()) {
    for (json& item : v) AsDecoded(item);
  }
}

}  // namespace

Result<json> StrategicMergeApplication(json original, const json& patch) {
  std::vector<std::string> path;
  Result<json> merged = MergeMap(std::move(original), patch, path);
  if (!merged.ok()) return merged;
  json out = std::move(merged).value();
  AsDecoded(out);
  return out;
}

}  // namespace fleetsim
