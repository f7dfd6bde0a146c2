#include "sim/manifest/object.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "engine/random.h"

// Metadata is read the way apimachinery's Unstructured getters read it, since that is what Argo CD
// and the Kubernetes controllers see: a field of the wrong type reads as absent.
namespace fleetsim {
namespace {

using json = Json;

const json* Field(const json& map, const char* key) {
  if (!map.is_object()) return nullptr;
  auto it = map.find(key);
  return it == map.end() ? nullptr : &*it;
}

std::string StringField(const json& map, const char* key) {
  const json* v = Field(map, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

// Unstructured.GetLabels/GetAnnotations: null values read as "", and one value of another type
// makes the whole map read as empty.
std::map<std::string, std::string> StringMapField(const json& map, const char* key) {
  std::map<std::string, std::string> out;
  const json* m = Field(map, key);
  if (m == nullptr || !m->is_object()) return out;
  for (const auto& [k, v] : m->items()) {
    if (v.is_null()) {
      out[k] = "";
    } else if (v.is_string()) {
      out[k] = v.get<std::string>();
    } else {
      return {};
    }
  }
  return out;
}

// Unstructured.GetFinalizers: all strings, or none.
std::vector<std::string> StringListField(const json& map, const char* key) {
  std::vector<std::string> out;
  const json* list = Field(map, key);
  if (list == nullptr || !list->is_array()) return out;
  for (const json& v : *list) {
    if (!v.is_string()) return {};
    out.push_back(v.get<std::string>());
  }
  return out;
}

bool BoolField(const json& map, const char* key) {
  const json* v = Field(map, key);
  return v != nullptr && v->is_boolean() && v->get<bool>();
}

// Unstructured.GetOwnerReferences: every element must be a map, else there are none.
std::vector<OwnerReference> OwnerReferences(const json& metadata) {
  std::vector<OwnerReference> out;
  const json* list = Field(metadata, "ownerReferences");
  if (list == nullptr || !list->is_array()) return out;
  for (const json& ref : *list) {
    if (!ref.is_object()) return {};
    out.push_back(OwnerReference{
        .api_version = StringField(ref, "apiVersion"),
        .kind = StringField(ref, "kind"),
        .name = StringField(ref, "name"),
        .uid = StringField(ref, "uid"),
        .controller = BoolField(ref, "controller"),
        .block_owner_deletion = BoolField(ref, "blockOwnerDeletion"),
    });
  }
  return out;
}

// HashName (FNV-1a) of the bytes written to it, taken one write at a time: what dump() would
// produce, hashed without building the string.
class HashingOutput final : public nlohmann::detail::output_adapter_protocol<char> {
 public:
  void write_character(char c) override { Add(c); }
  void write_characters(const char* s, std::size_t length) override {
    for (std::size_t i = 0; i < length; ++i) Add(s[i]);
  }
  uint64_t hash() const { return h_; }

 private:
  void Add(char c) {
    h_ ^= static_cast<unsigned char>(c);
    h_ *= 0x100000001b3ULL;
  }
  uint64_t h_ = 0xcbf29ce484222325ULL;
};

}  // namespace

std::string ObjectKey::ToString() const {
  if (ns.empty()) return kind + "/" + name;
  return kind + "/" + ns + "/" + name;
}

Object::Object(Json doc) : doc_(std::move(doc)) {
  api_version_ = StringField(doc_, "apiVersion");
  key_.group = GroupOf(api_version_);
  key_.kind = StringField(doc_, "kind");
  static const json kEmpty = json::object();
  const json* found = Field(doc_, "metadata");
  const json& metadata = found != nullptr ? *found : kEmpty;
  key_.ns = StringField(metadata, "namespace");
  key_.name = StringField(metadata, "name");
  labels_ = StringMapField(metadata, "labels");
  annotations_ = StringMapField(metadata, "annotations");
  owners_ = OwnerReferences(metadata);
  finalizers_ = StringListField(metadata, "finalizers");
}

Object::Object(Json doc, const Object& base)
    : doc_(std::move(doc)),
      api_version_(base.api_version_),
      key_(base.key_),
      labels_(base.labels_),
      annotations_(base.annotations_),
      owners_(base.owners_),
      finalizers_(base.finalizers_) {}

uint64_t Object::content_hash() const {
  if (!hashed_) {
    hash_ = HashJson(doc_);
    hashed_ = true;
  }
  return hash_;
}

std::string_view Object::annotation(std::string_view key) const {
  // Objects carry a handful of annotations: a scan saves building a key string for find().
  if (annotations_.size() <= 8) {
    for (const auto& [k, v] : annotations_) {
      if (k == key) return v;
    }
    return {};
  }
  auto it = annotations_.find(std::string(key));
  return it == annotations_.end() ? std::string_view() : std::string_view(it->second);
}

ObjectPtr WithNamespace(const Object& object, std::string ns) {
  Json doc = object.doc();
  if (!doc.is_object()) return std::make_shared<const Object>(std::move(doc));
  Json& metadata = doc["metadata"];
  if (!metadata.is_object()) metadata = Json::object();
  if (ns.empty()) {
    metadata.erase("namespace");
  } else {
    metadata["namespace"] = std::move(ns);
  }
  return std::make_shared<const Object>(std::move(doc));
}

// schema.ParseGroupVersion: "" and "/" are the empty group version; more than one '/' is invalid
// (and Unstructured then reports no group at all).
std::string GroupOf(std::string_view api_version) {
  if (api_version == "/") return "";
  const size_t slashes =
      static_cast<size_t>(std::count(api_version.begin(), api_version.end(), '/'));
  if (slashes != 1) return "";
  return std::string(api_version.substr(0, api_version.find('/')));
}

uint64_t HashJson(const Json& value) {
  // Json objects are sorted maps, so dump() writes keys sorted: canonical text. Invalid
  // UTF-8 (never produced by the manifest parsers) is replaced rather than thrown on. The text is
  // hashed as the serializer writes it instead of being built first.
  auto out = std::make_shared<HashingOutput>();
  nlohmann::detail::serializer<Json> serializer(out, ' ', json::error_handler_t::replace);
  serializer.dump(value, /*pretty_print=*/false, /*ensure_ascii=*/false, /*indent_step=*/0);
  return out->hash();
}

}  // namespace fleetsim
