// deploy/: the Kubernetes Indexed Job and the Argo Workflow that run a sweep across machines
// (DESIGN.md "Sweeps and scale-out"). No cluster here: the manifests must parse, and their shard
// wiring must agree with `fleetsim sweep` (Kubernetes batch/v1 Job: completionMode Indexed sets
// JOB_COMPLETION_INDEX; Argo Workflows: withSequence counts from 0).
#include <yaml-cpp/yaml.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fleetsim {
namespace {

std::vector<YAML::Node> LoadDeploy(const std::string& name) {
  return YAML::LoadAllFromFile(std::string(FLEETSIM_SOURCE_DIR) + "/deploy/" + name);
}

const YAML::Node* FindKind(const std::vector<YAML::Node>& docs, const std::string& kind) {
  for (const YAML::Node& d : docs) {
    if (d["kind"] && d["kind"].as<std::string>() == kind) return &d;
  }
  return nullptr;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(DeployManifestsTest, IndexedJobShardsByCompletionIndex) {
  std::vector<YAML::Node> docs = LoadDeploy("sweep-indexed-job.yaml");
  const YAML::Node* job = FindKind(docs, "Job");
  ASSERT_NE(job, nullptr);
  EXPECT_EQ((*job)["apiVersion"].as<std::string>(), "batch/v1");
  YAML::Node spec = (*job)["spec"];
  EXPECT_EQ(spec["completionMode"].as<std::string>(), "Indexed");
  int completions = spec["completions"].as<int>();
  EXPECT_EQ(spec["parallelism"].as<int>(), completions);
  YAML::Node pod = spec["template"]["spec"];
  EXPECT_EQ(pod["restartPolicy"].as<std::string>(), "Never");  // podFailurePolicy needs it
  YAML::Node container = pod["containers"][0];
  std::string script = container["args"][0].as<std::string>();
  EXPECT_TRUE(Contains(script, "fleetsim sweep "));
  EXPECT_TRUE(Contains(script, "--shard-total " + std::to_string(completions) + " "));
  EXPECT_TRUE(Contains(script, "--db \"/results/shard-${JOB_COMPLETION_INDEX}.db\""));
  EXPECT_EQ(spec["podFailurePolicy"]["rules"][0]["onExitCodes"]["containerName"].as<std::string>(),
            container["name"].as<std::string>());

  const YAML::Node* pvc = FindKind(docs, "PersistentVolumeClaim");
  ASSERT_NE(pvc, nullptr);
  EXPECT_EQ(pod["volumes"][0]["persistentVolumeClaim"]["claimName"].as<std::string>(),
            (*pvc)["metadata"]["name"].as<std::string>());
  EXPECT_EQ(container["volumeMounts"][0]["mountPath"].as<std::string>(), "/results");
}

TEST(DeployManifestsTest, WorkflowFansOutShardsThenMerges) {
  std::vector<YAML::Node> docs = LoadDeploy("sweep-workflow.yaml");
  const YAML::Node* wf = FindKind(docs, "Workflow");
  ASSERT_NE(wf, nullptr);
  EXPECT_EQ((*wf)["apiVersion"].as<std::string>(), "argoproj.io/v1alpha1");
  YAML::Node spec = (*wf)["spec"];
  std::string entry = spec["entrypoint"].as<std::string>();
  YAML::Node templates = spec["templates"];
  auto find = [&](const std::string& name) {
    for (const YAML::Node& t : templates) {
      if (t["name"].as<std::string>() == name) return t;
    }
    ADD_FAILURE() << "no template " << name;
    return YAML::Node();
  };
  YAML::Node steps = find(entry)["steps"];
  ASSERT_EQ(steps.size(), 2u);  // the fan-out, then the merge once every shard is done
  YAML::Node fan = steps[0][0];
  EXPECT_EQ(fan["withSequence"]["count"].as<std::string>(), "{{workflow.parameters.shards}}");
  EXPECT_EQ(fan["arguments"]["parameters"][0]["value"].as<std::string>(), "{{item}}");
  std::string shard =
      find(fan["template"].as<std::string>())["container"]["args"][0].as<std::string>();
  EXPECT_TRUE(Contains(shard, "fleetsim sweep "));
  EXPECT_TRUE(
      Contains(shard, "--shard \"{{inputs.parameters.index}}/{{workflow.parameters.shards}}\""));
  EXPECT_TRUE(Contains(shard, "--db \"/results/shard-{{inputs.parameters.index}}.db\""));
  std::string merge =
      find(steps[1][0]["template"].as<std::string>())["container"]["args"][0].as<std::string>();
  EXPECT_TRUE(Contains(merge, "fleetsim report --merge /results/sweep.db /results/shard-*.db"));
  EXPECT_EQ(spec["volumeClaimTemplates"][0]["metadata"]["name"].as<std::string>(), "results");
}

}  // namespace
}  // namespace fleetsim
