// `fleetsim validate` on scenarios replaying a real repository built in the test: the repository
// and the replay range are checked, and the bootstrap's Applications rendered.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/cli/commands.h"
#include "tests/support/fake_tool_runner.h"
#include "tests/support/git_repo_builder.h"

namespace fleetsim {
namespace {

using ::testing::HasSubstr;
using testing_support::GitRepoBuilder;

constexpr const char* kApp = R"(apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  source: {repoURL: https://example.com/apps.git, targetRevision: main, path: apps/prod}
  destination: {server: https://kubernetes.default.svc, namespace: web}
)";

class ValidateGitTest : public ::testing::Test {
 protected:
  std::string Scenario(const std::string& replay) {
    std::string path = repo_.path() + "/scenario.yaml";
    std::ofstream(path) << "name: v\nrepos:\n  apps: {url: https://example.com/apps.git, git: .,"
                        << replay << "}\nbootstrap:\n  - {repo: apps, path: app.yaml}\n";
    return path;
  }
  int Validate(const std::string& path) {
    out_.str("");
    err_.str("");
    return ValidateCommand({path}, out_, err_);
  }

  GitRepoBuilder repo_;
  std::ostringstream out_, err_;
};

TEST_F(ValidateGitTest, ChecksTheRangeAtItsPosition) {
  std::string c1 = repo_.Commit({{"app.yaml", kApp}, {"apps/prod/cm.yaml", "x: 1\n"}}, 1000, "a");
  EXPECT_EQ(Validate(Scenario(" replay: {from: " + c1 + "}")), kExitOk) << err_.str();
  EXPECT_EQ(Validate(Scenario(" replay: {from: v9}")), kExitBadInput);
  EXPECT_THAT(err_.str(), HasSubstr("scenario.yaml:3:"));
  EXPECT_THAT(err_.str(), HasSubstr("replay.from: unknown revision \"v9\""));
}

TEST_F(ValidateGitTest, BootstrapPathMustExistAtTheStart) {
  repo_.Commit({{"other.yaml", "x: 1\n"}}, 1000, "a");
  EXPECT_EQ(Validate(Scenario("")), kExitBadInput);
  EXPECT_THAT(err_.str(), HasSubstr("scenario.yaml:5:5: path \"app.yaml\" is not a file"));
}

TEST_F(ValidateGitTest, RendersKustomizeSourcesAtTheStart) {
  if (!testing_support::KustomizeToolInstalled()) {
    GTEST_SKIP() << "neither kustomize nor kubectl is installed";
  }
  repo_.Commit({{"app.yaml", kApp}, {"apps/prod/kustomization.yaml", "resources: [gone.yaml]\n"}},
               1000, "broken overlay");
  EXPECT_EQ(Validate(Scenario("")), kExitBadInput);
  EXPECT_THAT(err_.str(), HasSubstr("scenario.yaml:5:5: application web: Failed to load target "
                                    "state: failed to generate manifest for source 1 of 1: rpc "
                                    "error: code = Unknown desc = `kustomize build <path to cached "
                                    "source>/apps/prod` failed exit status 1: Error: "));
  repo_.Commit({{"apps/prod/kustomization.yaml", "resources: [cm.yaml]\n"},
                {"apps/prod/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"}},
               2000, "fixed");
  EXPECT_EQ(Validate(Scenario("")), kExitOk) << err_.str();
}

}  // namespace
}  // namespace fleetsim
