#include "sim/cli/sweep_plan.h"

#include <charconv>

#include "engine/random.h"

namespace fleetsim {
namespace {

// A decimal uint64 filling all of `text`, or nullopt.
std::optional<uint64_t> ParseUint(std::string_view text) {
  if (text.empty() || text[0] == '+' || text[0] == '-') return std::nullopt;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// Splits at commas outside '...' and "..." quotes.
std::vector<std::string> SplitValues(std::string_view list) {
  std::vector<std::string> values(1);
  char quote = 0;
  for (char c : list) {
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == ',') {
      values.emplace_back();
      continue;
    }
    values.back() += c;
  }
  return values;
}

}  // namespace

Result<SweepParameter> ParseSweepParameter(const std::string& argument) {
  auto fail = [&](const std::string& why) {
    return Status::Error("--set " + argument + ": " + why);
  };
  size_t eq = argument.find('=');
  if (eq == std::string::npos) return fail("expected PATH=VALUE or PATH=V1,V2,...");
  SweepParameter p;
  p.path = argument.substr(0, eq);
  if (p.path.empty()) return fail("empty path before '='");
  p.values = SplitValues(std::string_view(argument).substr(eq + 1));
  if (p.values.size() > 1) {
    for (size_t i = 0; i < p.values.size(); ++i) {
      if (p.values[i].empty()) {
        return fail("value " + std::to_string(i + 1) +
                    " of the list is empty; quote an empty string as ''");
      }
    }
  }
  return p;
}

Status CheckDistinctPaths(const std::vector<SweepParameter>& parameters) {
  for (size_t i = 0; i < parameters.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (parameters[i].path == parameters[j].path) {
        return Status::Error("--set " + parameters[i].path +
                             " is given twice; list every value in one --set " +
                             parameters[i].path + "=V1,V2,...");
      }
    }
  }
  return Status::Ok();
}

std::vector<std::vector<std::string>> CrossProduct(const std::vector<SweepParameter>& parameters) {
  std::vector<std::vector<std::string>> out(1);
  for (const SweepParameter& p : parameters) {
    std::vector<std::vector<std::string>> next;
    next.reserve(out.size() * p.values.size());
    for (const std::vector<std::string>& prefix : out) {
      for (const std::string& value : p.values) {
        next.push_back(prefix);
        next.back().push_back(p.path + "=" + value);
      }
    }
    out = std::move(next);
  }
  return out;
}

uint64_t SeedSequence::At(uint64_t k) const { return derived ? DeriveSeed(base, k) : base + k; }

Result<SeedSequence> ParseSeedRange(const std::string& text) {
  auto fail = [&](const std::string& why) { return Status::Error("--seeds " + text + ": " + why); };
  size_t dots = text.find("..");
  if (dots == std::string::npos) return fail("expected A..B, e.g. 1..1000");
  std::optional<uint64_t> first = ParseUint(std::string_view(text).substr(0, dots));
  std::optional<uint64_t> last = ParseUint(std::string_view(text).substr(dots + 2));
  if (!first) return fail("A must be a non-negative integer");
  if (!last) return fail("B must be a non-negative integer");
  if (*first > *last) return fail("A must not be greater than B");
  if (*last - *first == UINT64_MAX) return fail("the range holds more than 2^64-1 seeds");
  return SeedSequence::Literal(*first, *last - *first + 1);
}

Result<Shard> ParseShard(const std::string& text) {
  auto fail = [&](const std::string& why) { return Status::Error("--shard " + text + ": " + why); };
  size_t slash = text.find('/');
  if (slash == std::string::npos) return fail("expected I/N, e.g. 0/4");
  std::optional<uint64_t> index = ParseUint(std::string_view(text).substr(0, slash));
  std::optional<uint64_t> count = ParseUint(std::string_view(text).substr(slash + 1));
  if (!index || !count) return fail("expected I/N with non-negative integers, e.g. 0/4");
  if (*count == 0) return fail("N must be at least 1");
  if (*index >= *count) return fail("I must be less than N (shards are numbered 0..N-1)");
  return Shard{*index, *count, "--shard"};
}

namespace {

Result<uint64_t> EnvNumber(const std::string& name, const std::string& value) {
  std::optional<uint64_t> n = ParseUint(value);
  if (!n) return Status::Error(name + "=" + value + ": expected a non-negative integer");
  return *n;
}

// The Slurm array task's index counted from SLURM_ARRAY_TASK_MIN (0 when unset).
Result<uint64_t> SlurmIndex(const EnvLookup& env, const std::string& id_text) {
  Result<uint64_t> id = EnvNumber("SLURM_ARRAY_TASK_ID", id_text);
  if (!id.ok()) return id;
  std::optional<std::string> min_text = env("SLURM_ARRAY_TASK_MIN");
  if (!min_text) return *id;
  Result<uint64_t> min = EnvNumber("SLURM_ARRAY_TASK_MIN", *min_text);
  if (!min.ok()) return min;
  if (*min > *id) {
    return Status::Error("SLURM_ARRAY_TASK_ID=" + id_text +
                         " is below SLURM_ARRAY_TASK_MIN=" + *min_text);
  }
  return *id - *min;
}

Result<Shard> CheckedShard(uint64_t index, uint64_t count, std::string source) {
  if (count == 0) return Status::Error(source + ": the shard count must be at least 1");
  if (index >= count) {
    return Status::Error(source + ": index " + std::to_string(index) +
                         " is not below the shard count " + std::to_string(count));
  }
  return Shard{index, count, std::move(source)};
}

}  // namespace

Result<Shard> SelectShard(const std::optional<std::string>& shard_flag,
                          std::optional<uint64_t> shard_total, const EnvLookup& env) {
  if (shard_flag && shard_total) {
    return Status::Error("--shard and --shard-total exclude each other");
  }
  if (shard_flag) return ParseShard(*shard_flag);
  if (shard_total) {
    if (std::optional<std::string> k8s = env("JOB_COMPLETION_INDEX")) {
      Result<uint64_t> index = EnvNumber("JOB_COMPLETION_INDEX", *k8s);
      if (!index.ok()) return index.status();
      return CheckedShard(*index, *shard_total, "JOB_COMPLETION_INDEX with --shard-total");
    }
    if (std::optional<std::string> slurm = env("SLURM_ARRAY_TASK_ID")) {
      Result<uint64_t> index = SlurmIndex(env, *slurm);
      if (!index.ok()) return index.status();
      return CheckedShard(*index, *shard_total, "SLURM_ARRAY_TASK_ID with --shard-total");
    }
    return Status::Error(
        "--shard-total: neither JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) nor "
        "SLURM_ARRAY_TASK_ID (a Slurm job array) is set; give --shard I/N instead");
  }
  std::optional<std::string> slurm = env("SLURM_ARRAY_TASK_ID");
  std::optional<std::string> slurm_count = env("SLURM_ARRAY_TASK_COUNT");
  if (slurm && slurm_count) {
    Result<uint64_t> index = SlurmIndex(env, *slurm);
    if (!index.ok()) return index.status();
    Result<uint64_t> count = EnvNumber("SLURM_ARRAY_TASK_COUNT", *slurm_count);
    if (!count.ok()) return count.status();
    return CheckedShard(*index, *count, "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT");
  }
  return Shard{0, 1, ""};
}

}  // namespace fleetsim
