// Every file under data/broken/ fails to load with exactly the message listed here.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

#include "sim/scenario/scenario_loader.h"
#include "tests/scenario/test_paths.h"

namespace fleetsim {
namespace {

// File name -> the error, with "<data dir>/" removed wherever it appears.
const std::map<std::string, std::string>& Expected() {
  static const std::map<std::string, std::string> kExpected = {
      {"action_bad_controller.yaml",
       "broken/action_bad_controller.yaml:3:76: unknown controller \"sealed-secret\" (did you "
       "mean \"sealed-secrets\"?)"},
      {"action_bad_object.yaml",
       "broken/action_bad_object.yaml:3:63: object \"checkout\" must be Kind/namespace/name or "
       "Kind/name"},
      {"action_unknown_verb.yaml",
       "broken/action_unknown_verb.yaml:3:18: unknown action \"argocd app synch\" (did you mean "
       "\"argocd app sync\"?)"},
      {"alias_cycle.yaml",
       "broken/alias_cycle.yaml:2:14: nested more than 64 levels deep (or an alias refers to "
       "itself)"},
      {"argocd_bool.yaml", "broken/argocd_bool.yaml:3:35: expected true or false, found \"yes\""},
      {"argocd_progressive.yaml",
       "broken/argocd_progressive.yaml:3:27: expected true or false, found \"on\""},
      {"argocd_processors.yaml",
       "broken/argocd_processors.yaml:3:21: statusProcessors must be between 1 and 100000"},
      {"bad_duration.yaml",
       "broken/bad_duration.yaml:2:11: expected a duration such as 90s, 15m, 2h, found "
       "\"2 hours\""},
      {"bad_name.yaml",
       "broken/bad_name.yaml:1:7: name \"My_Scenario\" is not a valid DNS-1123 label: lowercase "
       "letters, digits and '-', starting and ending with a letter or digit, at most 63 "
       "characters"},
      {"bad_start.yaml",
       "broken/bad_start.yaml:2:8: invalid time \"2026-02-30T09:00:00Z\": day out of range"},
      {"bootstrap_missing_path.yaml",
       "broken/bootstrap_missing_path.yaml:5:28: path \"bootstrap/nope.yaml\" does not exist in "
       "repo \"platform\""},
      {"bootstrap_unknown_repo.yaml",
       "broken/bootstrap_unknown_repo.yaml:5:12: unknown repo \"platfrom\" (did you mean "
       "\"platform\"?)"},
      {"cluster_wrong_type.yaml",
       "broken/cluster_wrong_type.yaml:4:5: expected a list, found a map"},
      {"duplicate_cluster.yaml",
       "broken/duplicate_cluster.yaml:5:7: duplicate cluster name \"prod-2\" (first defined at "
       "broken/duplicate_cluster.yaml:4:14)"},
      {"duplicate_key.yaml",
       "broken/duplicate_key.yaml:3:1: duplicate key \"seed\" (first defined at "
       "broken/duplicate_key.yaml:2:1)"},
      {"duration_too_long.yaml",
       "broken/duration_too_long.yaml:2:11: duration must be at most 366d"},
      {"empty.yaml",
       "broken/empty.yaml:1:1: empty scenario file; expected a map with at least name"},
      {"expect_eq_and_min.yaml",
       "broken/expect_eq_and_min.yaml:3:19: \"eq\" cannot be combined with \"min\""},
      {"expect_min_gt_max.yaml",
       "broken/expect_min_gt_max.yaml:3:10: min 10 is greater than max 5"},
      {"expect_unknown_metric.yaml",
       "broken/expect_unknown_metric.yaml:3:3: unknown metric \"apps_delete\" (did you mean "
       "\"apps_deleted\"?)"},
      {"fault_for_not_healing.yaml",
       "broken/fault_for_not_healing.yaml:5:56: a cluster-destroyed fault does not heal by "
       "itself; remove \"for\""},
      {"fault_key_deleted_no_key.yaml",
       "broken/fault_key_deleted_no_key.yaml:3:5: secret-key-deleted needs \"key\""},
      {"fault_missing_arg.yaml", "broken/fault_missing_arg.yaml:3:5: api-throttle needs \"qps\""},
      {"fault_mixed_forms.yaml",
       "broken/fault_mixed_forms.yaml:5:66: \"glob\" cannot be used with from and to: "
       "rename-directory takes repo, from and to, or repo and glob"},
      {"fault_unknown_cluster.yaml",
       "broken/fault_unknown_cluster.yaml:5:50: unknown cluster \"prod-3x\" (did you mean "
       "\"prod-1\"?)"},
      {"fault_unknown_kind.yaml",
       "broken/fault_unknown_kind.yaml:3:20: unknown fault kind \"cluster-unreachble\" (did you "
       "mean \"cluster-unreachable\"?)"},
      {"generate_zero.yaml",
       "broken/generate_zero.yaml:4:17: generate must be between 1 and 100000"},
      {"history_after_end.yaml",
       "broken/history_after_end.yaml:6:10: at 3h is after the end of the run (duration 2h)"},
      {"history_bad_field.yaml",
       "broken/history_bad_field.yaml:7:32: field: invalid path \"spec..replicas\": empty key at "
       "character 6"},
      {"history_no_op.yaml",
       "broken/history_no_op.yaml:5:5: a history entry needs one op: write, delete, rename, "
       "set-image or set (or ops: [...] for several in one commit)"},
      {"history_two_ops.yaml",
       "broken/history_two_ops.yaml:8:5: a history entry has both \"delete\" and \"rename\"; "
       "give one op (write, delete, rename, set-image or set) or list several under ops: [...]"},
      {"missing_name.yaml", "broken/missing_name.yaml:1:1: missing required key \"name\""},
      {"multiple_documents.yaml",
       "broken/multiple_documents.yaml:3:1: a scenario file holds one YAML document; remove "
       "this second one"},
      {"pod_startup_order.yaml",
       "broken/pod_startup_order.yaml:5:19: podStartup min 40s is greater than max 30s"},
      {"preinstalled_typo.yaml",
       "broken/preinstalled_typo.yaml:3:18: unknown add-on \"argo-rollout\" (did you mean "
       "\"argo-rollouts\"?)"},
      {"random_rate.yaml",
       "broken/random_rate.yaml:3:50: expected a rate such as 2/h, 0.5/m or 10/d, found "
       "\"often\""},
      {"repo_duplicate_url.yaml",
       "broken/repo_duplicate_url.yaml:4:16: url \"https://github.com/acme/apps/\" names the "
       "same repository as repo \"apps\" (broken/repo_duplicate_url.yaml:3:15)"},
      {"repo_tree_and_git.yaml",
       "broken/repo_tree_and_git.yaml:3:71: repo \"apps\" has both tree and git; give one"},
      {"repo_tree_missing.yaml",
       "broken/repo_tree_missing.yaml:3:51: tree directory \"../repos/nope\" does not exist"},
      {"reserved_cluster.yaml",
       "broken/reserved_cluster.yaml:4:13: cluster name \"in-cluster\" is reserved for the "
       "management cluster"},
      {"secret_stores_bad_name.yaml",
       "broken/secret_stores_bad_name.yaml:3:3: store name \"Vault_Backend\" is not a valid "
       "Kubernetes object name (a DNS-1123 subdomain)"},
      {"secret_stores_list_value.yaml",
       "broken/secret_stores_list_value.yaml:5:16: expected a value or a map of properties, "
       "found a list"},
      {"secret_stores_unknown_field.yaml",
       "broken/secret_stores_unknown_field.yaml:3:11: unknown key \"key\" (did you mean "
       "\"keys\"?)"},
      {"seed_negative.yaml",
       "broken/seed_negative.yaml:2:7: expected an unsigned 64-bit integer, found \"-1\""},
      {"sync_policy.yaml",
       "broken/sync_policy.yaml:3:27: unknown applicationsSyncPolicy \"create-updat\" (did you "
       "mean \"create-update\"?)"},
      {"top_level_list.yaml",
       "broken/top_level_list.yaml:1:1: expected a map at the top level, found a list"},
      {"traffic_image_rps.yaml",
       "broken/traffic_image_rps.yaml:4:42: rps is a Service's request rate: set it in "
       "traffic.default or traffic.services, not per image"},
      {"traffic_service_rps.yaml", "broken/traffic_service_rps.yaml:4:21: rps must be at least 0"},
      {"traffic_success_rate.yaml",
       "broken/traffic_success_rate.yaml:3:26: successRate must be between 0 and 1"},
      {"unknown_key_no_suggestion.yaml",
       "broken/unknown_key_no_suggestion.yaml:3:3: unknown key \"foo\"; expected one of: "
       "clusters, preinstalled, sealedSecrets"},
      {"unknown_top_key.yaml",
       "broken/unknown_top_key.yaml:2:1: unknown key \"durration\" (did you mean \"duration\"?)"},
      {"wrong_type_list.yaml", "broken/wrong_type_list.yaml:2:9: expected a map, found a list"},
      {"yaml_syntax.yaml", "broken/yaml_syntax.yaml:4:1: end of sequence flow not found"},
  };
  return kExpected;
}

std::string WithoutDataDir(std::string message) {
  const std::string prefix = ScenarioDataDir() + "/";
  for (size_t at = message.find(prefix); at != std::string::npos; at = message.find(prefix)) {
    message.erase(at, prefix.size());
  }
  return message;
}

class BrokenScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BrokenScenarioTest, FailsWithExactPositionAndMessage) {
  const std::string& file = GetParam();
  Result<Scenario> result = LoadScenario(ScenarioDataFile("broken/" + file), {});
  ASSERT_FALSE(result.ok()) << file << " loaded";
  EXPECT_EQ(WithoutDataDir(result.error()), Expected().at(file));
}

std::vector<std::string> BrokenFiles() {
  std::vector<std::string> files;
  for (const auto& [file, message] : Expected()) files.push_back(file);
  return files;
}

INSTANTIATE_TEST_SUITE_P(Files, BrokenScenarioTest, ::testing::ValuesIn(BrokenFiles()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           return param.param.substr(0, param.param.find('.'));
                         });

TEST(BrokenScenarios, EveryFileInTheFolderIsListed) {
  size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(ScenarioDataFile("broken"))) {
    std::string file = entry.path().filename().string();
    EXPECT_EQ(Expected().count(file), 1u) << file << " has no expected message";
    ++count;
  }
  EXPECT_EQ(count, Expected().size());
  EXPECT_GE(count, 20u);
}

}  // namespace
}  // namespace fleetsim
