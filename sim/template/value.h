// A value during template execution: Go's reflect.Value over JSON data, as text/template sees
// map[string]interface{} data. A value either points into the data (or another value that
// outlives it) or owns its JSON. "Invalid" is Go's zero reflect.Value (a missing map key);
// "boxed" marks a value read out of an interface{} container (a map value, a slice element),
// which Go's field and type errors name as "interface {}".
#ifndef FLEETSIM_SIM_TEMPLATE_VALUE_H_
#define FLEETSIM_SIM_TEMPLATE_VALUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "sim/manifest/json.h"

namespace fleetsim::gotmpl {

using json = Json;

// Go types that JSON alone does not tell apart. kAuto derives the type from the JSON kind:
// string, int (integers), float64, bool, []interface {}, map[string]interface {}.
enum class GoType : uint8_t { kAuto, kInt64, kUint8, kStringSlice, kStringMap };

class Value {
 public:
  Value() = default;  // invalid
  static Value Ref(const json& j, bool boxed = false) {
    Value v;
    v.ref_ = &j;
    v.valid_ = true;
    v.boxed_ = boxed;
    return v;
  }
  static Value Own(json j, GoType type = GoType::kAuto) {
    Value v;
    v.own_ = std::move(j);
    v.valid_ = true;
    v.type_ = type;
    return v;
  }
  static Value Nil() { return Own(json()); }

  bool valid() const { return valid_; }
  bool boxed() const { return boxed_; }
  GoType type() const { return type_; }
  const json& j() const {
    if (ref_ != nullptr) return *ref_;
    return own_.has_value() ? *own_ : NullJson();
  }
  bool is_null() const { return valid_ && j().is_null(); }

  // A value read out of this one (a map entry, a slice element). Owned parents give copies, so
  // the child never points into storage that dies with a temporary.
  Value Child(const json& child, bool boxed = true) const {
    if (ref_ != nullptr) return Ref(child, boxed);
    Value v = Own(child);
    v.boxed_ = boxed;
    return v;
  }
  // Go's `reflect.ValueOf(v.Interface())`: the concrete value inside an interface; nil becomes
  // invalid.
  Value Unboxed() const {
    if (!boxed_) return *this;
    if (j().is_null()) return Value();
    Value v = *this;
    v.boxed_ = false;
    return v;
  }
  void Unbox() {
    if (!boxed_) return;
    boxed_ = false;
    if (j().is_null()) *this = Value();
  }
  Value AsType(GoType type) && {
    type_ = type;
    return std::move(*this);
  }

 private:
  static const json& NullJson() {
    static const json kNull;
    return kNull;
  }

  const json* ref_ = nullptr;
  std::optional<json> own_;  // engaged only for owned values: most values point into data
  bool valid_ = false;
  bool boxed_ = false;
  GoType type_ = GoType::kAuto;
};

// Go's name for the dynamic type of `v` ("string", "int", "float64", "[]interface {}", ...);
// "interface {}" for a boxed value when `static_type` is asked for.
std::string GoTypeName(const Value& v, bool static_type = false);

}  // namespace fleetsim::gotmpl

#endif  // FLEETSIM_SIM_TEMPLATE_VALUE_H_
