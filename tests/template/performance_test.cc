// The ApplicationSet workload: a handful of templates parsed once and executed for many parameter
// sets. FLEETSIM_TEMPLATE_PERF_N sets the number of parameter sets (default 2000).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/template/go_template.h"

namespace fleetsim {
namespace {

TEST(PerformanceTest, ParseOnceExecuteManyTimes) {
  const char* const kFields[] = {
      "{{.name}}-guestbook",
      "{{.server}}",
      "https://github.com/argoproj/argo-cd.git",
      "{{.path.path}}",
      "{{ .values.env | default \"dev\" }}",
      "{{ normalize .name }}",
      "{{ .metadata.labels.env }}",
      "{{ index .metadata.labels \"region\" }}",
      "{{ if eq .metadata.labels.env \"prod\" }}true{{ else }}false{{ end }}",
      "{{ printf \"%s-%s\" .name .metadata.labels.env }}",
  };
  std::vector<GoTemplate> templates;
  for (const char* f : kFields) {
    Result<GoTemplate> t = GoTemplate::Parse(f);
    ASSERT_TRUE(t.ok()) << t.error();
    templates.push_back(*t);
  }
  const char* env = std::getenv("FLEETSIM_TEMPLATE_PERF_N");
  const int n = env != nullptr ? std::atoi(env) : 2000;
  std::vector<Json> params;
  for (int i = 0; i < 100; ++i) {
    params.push_back(
        {{"name", "cluster-" + std::to_string(i)},
         {"server", "https://10.0.0." + std::to_string(i)},
         {"path", {{"path", "apps/app" + std::to_string(i)}}},
         {"values", Json::object()},
         {"metadata", {{"labels", {{"env", i % 2 ? "prod" : "dev"}, {"region", "eu"}}}}}});
  }
  size_t bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    for (const GoTemplate& t : templates) {
      Result<std::string> out = t.Execute(params[i % params.size()]);
      ASSERT_TRUE(out.ok()) << out.error();
      bytes += out->size();
    }
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  EXPECT_GT(bytes, 0u);
  std::printf("%d parameter sets x %zu fields: %lld ms\n", n, std::size(kFields),
              static_cast<long long>(ms));
}

}  // namespace
}  // namespace fleetsim
