#include "sim/git/image_edit.h"

#include <gtest/gtest.h>

#include "tests/git/git_test_util.h"

namespace fleetsim {
namespace {

using testing_git::CanonicalYaml;

std::string SetWorkload(std::string_view text, std::string_view container, std::string_view image) {
  Result<std::string> out = SetWorkloadImage(text, container, image);
  return out.ok() ? *out : "error: " + out.error();
}

std::string SetKustomize(std::string_view text, std::string_view name, std::string_view image) {
  Result<std::string> out = SetKustomizationImage(text, name, image);
  return out.ok() ? *out : "error: " + out.error();
}

TEST(SplitImageRefTest, SplitsLikeKustomize) {
  const auto split = [](std::string_view image) {
    ImageRef r = SplitImageRef(image);
    return r.name + "|" + r.tag + "|" + r.digest;
  };
  EXPECT_EQ(split("nginx"), "nginx||");
  EXPECT_EQ(split("ghcr.io/acme/app:1.9.0"), "ghcr.io/acme/app|1.9.0|");
  EXPECT_EQ(split("localhost:5000/app"), "localhost:5000/app||");
  EXPECT_EQ(split("localhost:5000/app:dev"), "localhost:5000/app|dev|");
  EXPECT_EQ(split("app@sha256:abc"), "app||sha256:abc");
  EXPECT_EQ(split("app:v1@sha256:abc"), "app|v1|sha256:abc");
}

TEST(SetWorkloadImageTest, MultiDocumentFileUpdatesEveryWorkloadWithTheContainer) {
  const std::string text = R"(kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - {name: web, image: "web:1"}
        - {name: envoy, image: "envoy:1"}
---
kind: Service
metadata: {name: web}
spec: {ports: [{port: 80}]}
---
kind: CronJob
metadata: {name: migrate}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers: [{name: web, image: "web:1"}]
          containers: [{name: job, image: "job:1"}]
)";
  const std::string expected = R"(kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
        - {name: web, image: "web:2"}
        - {name: envoy, image: "envoy:1"}
---
kind: Service
metadata: {name: web}
spec: {ports: [{port: 80}]}
---
kind: CronJob
metadata: {name: migrate}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers: [{name: web, image: "web:2"}]
          containers: [{name: job, image: "job:1"}]
)";
  EXPECT_EQ(CanonicalYaml(SetWorkload(text, "web", "web:2")), CanonicalYaml(expected));
}

class PodTemplateKindsTest : public ::testing::TestWithParam<const char*> {};

TEST_P(PodTemplateKindsTest, SetsImageInPodTemplate) {
  const std::string text = std::string("kind: ") + GetParam() +
                           "\nspec:\n  template:\n    spec:\n      containers:\n"
                           "        - name: app\n          image: app:1\n";
  const std::string out = SetWorkload(text, "app", "app:2");
  EXPECT_NE(out.find("image: app:2"), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(Workloads, PodTemplateKindsTest,
                         ::testing::Values("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
                                           "ReplicationController", "Job", "Rollout"));

TEST(SetWorkloadImageTest, PodSpecIsEdited) {
  const std::string out =
      SetWorkload("kind: Pod\nspec:\n  containers: [{name: app, image: app:1}]\n", "app", "app:2");
  EXPECT_EQ(CanonicalYaml(out),
            CanonicalYaml("kind: Pod\nspec: {containers: [{name: app, image: 'app:2'}]}\n"));
}

TEST(SetWorkloadImageTest, NonWorkloadKindsAreNotTouched) {
  EXPECT_EQ(SetWorkload("kind: PodTemplateLike\nspec:\n  template:\n    spec:\n      containers:\n"
                        "        - {name: app, image: a}\n",
                        "app", "b"),
            "error: no workload in the file has a container named \"app\"");
}

TEST(SetWorkloadImageTest, NoMatchingContainerFails) {
  EXPECT_EQ(SetWorkload("kind: Pod\nspec: {containers: [{name: app, image: a}]}\n", "db", "b"),
            "error: no workload in the file has a container named \"db\"");
}

TEST(SetKustomizationImageTest, AddsImagesListWhenAbsent) {
  EXPECT_EQ(CanonicalYaml(
                SetKustomize("resources: [a.yaml]\n", "checkout", "ghcr.io/acme/checkout:1.9.0")),
            CanonicalYaml("resources: [a.yaml]\nimages:\n- name: checkout\n"
                          "  newName: ghcr.io/acme/checkout\n  newTag: 1.9.0\n"));
}

TEST(SetKustomizationImageTest, ReplacesTheWholeEntry) {
  const std::string text =
      "images:\n- name: app\n  newName: old/app\n  digest: sha256:old\n  tagSuffix: -x\n";
  EXPECT_EQ(CanonicalYaml(SetKustomize(text, "app", "new/app:v2")),
            CanonicalYaml("images: [{name: app, newName: new/app, newTag: v2}]\n"));
}

TEST(SetKustomizationImageTest, DigestImageSetsDigest) {
  EXPECT_EQ(CanonicalYaml(SetKustomize("images: []\n", "app", "reg/app@sha256:24a0c4b4")),
            CanonicalYaml("images: [{digest: 'sha256:24a0c4b4', name: app, newName: reg/app}]\n"));
}

TEST(SetKustomizationImageTest, NumericLookingTagStaysAQuotedString) {
  const std::string out = SetKustomize("images: []\n", "app", "app:1.10");
  EXPECT_NE(out.find("newTag: \"1.10\""), std::string::npos) << out;
  EXPECT_EQ(CanonicalYaml(out),
            CanonicalYaml("images: [{name: app, newName: app, newTag: '1.10'}]\n"));
}

TEST(SetKustomizationImageTest, EntriesAreSortedByNameAndOthersKept) {
  const std::string text = "images:\n- name: zeta\n  newTag: z\n- name: alpha\n  newTag: a\n";
  EXPECT_EQ(
      CanonicalYaml(SetKustomize(text, "mid", "mid:1")),
      CanonicalYaml("images:\n- {name: alpha, newTag: a}\n- {name: mid, newName: mid, newTag: "
                    "'1'}\n- {name: zeta, newTag: z}\n"));
}

TEST(SetKustomizationImageTest, AsteriskKeepsExistingValue) {
  const std::string text = "images:\n- name: app\n  newName: reg/app\n  newTag: v1\n";
  EXPECT_EQ(CanonicalYaml(SetKustomize(text, "app", "*:v2")),
            CanonicalYaml("images: [{name: app, newName: reg/app, newTag: v2}]\n"));
}

TEST(SetKustomizationImageTest, ImagesThatIsNotAListFails) {
  EXPECT_EQ(SetKustomize("images: {a: b}\n", "app", "app:1"), "error: images is not a list");
}

TEST(KustomizationFileNameTest, RecognisesKustomizesThreeNames) {
  EXPECT_TRUE(IsKustomizationFileName("kustomization.yaml"));
  EXPECT_TRUE(IsKustomizationFileName("kustomization.yml"));
  EXPECT_TRUE(IsKustomizationFileName("Kustomization"));
  EXPECT_FALSE(IsKustomizationFileName("Kustomization.yaml"));
}

}  // namespace
}  // namespace fleetsim
