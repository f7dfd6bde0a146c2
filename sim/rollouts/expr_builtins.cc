// The builtin functions of Expression: expr-lang's builtin package (len, all, any, none, one,
// filter, map, count, abs, min, max, float, int) and the functions argo-rollouts adds to the
// environment in utils/evaluate/evaluate.go (isNaN, isInf, asInt, asFloat, isNil, default).
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "sim/rollouts/expr.h"
#include "sim/rollouts/expr_eval.h"

namespace fleetsim::rollouts {
namespace {

using json = Json;

Status BadArgument(std::string_view fn, const json& v) {
  return Status::Error(fmt::format("invalid argument for {} (type {})", fn, ExprTypeName(v)));
}

// strconv.ParseFloat / ParseInt on the whole string.
Result<json> ParseNumber(std::string_view fn, const std::string& s, bool integer) {
  const char* begin = s.c_str();
  char* end = nullptr;
  errno = 0;
  json out;
  if (integer) {
    out = static_cast<int64_t>(std::strtoll(begin, &end, 10));
  } else {
    out = std::strtod(begin, &end);
  }
  if (s.empty() || end != begin + s.size() || errno == ERANGE) {
    return Status::Error(fmt::format("strconv.{}: parsing \"{}\": invalid syntax",
                                     integer ? "ParseInt" : "ParseFloat", s));
  }
  (void)fn;
  return out;
}

Result<json> ToFloat(std::string_view fn, const json& v) {
  if (v.is_number()) return json(v.get<double>());
  if (v.is_string()) return ParseNumber(fn, v.get<std::string>(), false);
  return Status::Error(fmt::format("{}() not supported on {} {}", fn, ExprTypeName(v), v.dump()));
}

Result<json> ToInt(std::string_view fn, const json& v) {
  if (v.is_number_integer()) return json(v.get<int64_t>());
  if (v.is_number_float()) {
    double d = v.get<double>();
    // Go's conversion of NaN or out-of-range floats is unspecified; refuse instead.
    if (std::isnan(d) || d >= 9.2233720368547758e18 || d < -9.2233720368547758e18) {
      return Status::Error(fmt::format("{}() cannot convert {} to int", fn, d));
    }
    return json(static_cast<int64_t>(d));
  }
  if (v.is_string()) return ParseNumber(fn, v.get<std::string>(), true);
  return Status::Error(fmt::format("{}() not supported on {} {}", fn, ExprTypeName(v), v.dump()));
}

Result<json> Length(const json& v) {
  if (v.is_array() || v.is_object()) return json(static_cast<int64_t>(v.size()));
  if (v.is_string()) return json(static_cast<int64_t>(v.get_ref<const std::string&>().size()));
  return BadArgument("len", v);
}

Result<json> Abs(const json& v) {
  if (v.is_number_integer()) {
    int64_t i = v.get<int64_t>();
    if (i == std::numeric_limits<int64_t>::min()) return json(i);
    return json(i < 0 ? -i : i);
  }
  if (v.is_number_float()) return json(std::fabs(v.get<double>()));
  return BadArgument("abs", v);
}

Result<json> MinMax(std::string_view fn, const std::vector<json>& args) {
  std::vector<json> values = args;
  if (args.size() == 1 && args[0].is_array()) values.assign(args[0].begin(), args[0].end());
  if (values.empty()) return Status::Error(fmt::format("not enough arguments to call {}", fn));
  const json* best = nullptr;
  for (const json& v : values) {
    if (!v.is_number()) return BadArgument(fn, v);
    if (best == nullptr) {
      best = &v;
      continue;
    }
    double x = v.get<double>();
    double y = best->get<double>();
    if (fn == "min" ? x < y : x > y) best = &v;
  }
  return *best;
}

Result<json> IsNaNOrInf(std::string_view fn, const json& v) {
  if (!v.is_number()) return BadArgument(fn, v);
  if (!v.is_number_float()) return json(false);
  double d = v.get<double>();
  return json(fn == "isNaN" ? std::isnan(d) : std::isinf(d));
}

}  // namespace

Result<json> ExprEvaluator::Predicate(const ExprNode& call) {
  const std::string& fn = call.name;
  Result<json> collection = Eval(*call.children[0]);
  if (!collection.ok()) return collection;
  if (!collection->is_array()) return BadArgument(fn, *collection);
  const ExprNode& body = *call.children[1]->children[0];
  json mapped = json::array();
  int64_t matches = 0;
  for (const json& element : *collection) {
    pointers_.push_back(&element);
    Result<json> value = Eval(body);
    pointers_.pop_back();
    if (!value.ok()) return value;
    if (fn == "map") {
      mapped.push_back(std::move(value.value()));
      continue;
    }
    if (!value->is_boolean()) {
      return Status::Error(
          fmt::format("predicate of {} must return bool, got {}", fn, ExprTypeName(*value)));
    }
    if (!value->get<bool>()) continue;
    ++matches;
    if (fn == "filter") mapped.push_back(element);
  }
  auto size = static_cast<int64_t>(collection->size());
  if (fn == "all") return json(matches == size);
  if (fn == "any") return json(matches > 0);
  if (fn == "none") return json(matches == 0);
  if (fn == "one") return json(matches == 1);
  if (fn == "count") return json(matches);
  return mapped;  // map, filter
}

Result<json> ExprEvaluator::CallBuiltin(const ExprNode& call) {
  const std::string& fn = call.name;
  if (fn == "all" || fn == "any" || fn == "none" || fn == "one" || fn == "filter" || fn == "map" ||
      fn == "count") {
    return Predicate(call);
  }
  std::vector<json> args;
  for (const auto& child : call.children) {
    Result<json> v = Eval(*child);
    if (!v.ok()) return v;
    args.push_back(std::move(v.value()));
  }
  if (fn == "len") return Length(args[0]);
  if (fn == "abs") return Abs(args[0]);
  if (fn == "min" || fn == "max") return MinMax(fn, args);
  if (fn == "float" || fn == "asFloat") return ToFloat(fn, args[0]);
  if (fn == "int" || fn == "asInt") return ToInt(fn, args[0]);
  if (fn == "isNaN" || fn == "isInf") return IsNaNOrInf(fn, args[0]);
  if (fn == "isNil") return json(args[0].is_null());
  if (fn == "default") return args[0].is_null() ? args[1] : args[0];
  return Status::Error(fmt::format("unknown func {}", fn));
}

}  // namespace fleetsim::rollouts
