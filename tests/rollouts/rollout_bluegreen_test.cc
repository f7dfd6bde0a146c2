// The Rollout controller's blue-green strategy (reference 1.11; argo-rollouts
// rollout/bluegreen.go, rollout/service.go, rollout/pause.go CompletedBlueGreenPause).
#include <gtest/gtest.h>

#include "tests/rollouts/rollout_test_util.h"

namespace fleetsim::rollouts::testing {
namespace {

class BlueGreenTest : public RolloutFixture {
 public:
  // "web" with 3 replicas, active/preview Services, v1 healthy, then v2 applied at t=60.
  void Start(Json blue_green) {
    Apply(Service("web-active", "web"));
    Apply(Service("web-preview", "web"));
    blue_green["activeService"] = "web-active";
    blue_green["previewService"] = "web-preview";
    Apply(Rollout("web", 3, "web:1", {{"blueGreen", blue_green}}));
    Run(60);
    v1 = CurrentHash("web");
    SetImage("web", "web:2");
    Run(61);
    v2 = CurrentHash("web");
  }
  std::string Selector(const std::string& service) const {
    return StringAt(store.Find({"", "Service", "default", service})->doc(),
                    {"spec", "selector", "rollouts-pod-template-hash"});
  }
  std::string v1, v2;
};

// Auto-promotion (the default): the preview gets the new version at once, the active switches
// when it is fully available, and the old ReplicaSet waits scaleDownDelaySeconds (30 s).
TEST_F(BlueGreenTest, AutoPromotion) {
  Start(Json::object());
  EXPECT_EQ(Selector("web-preview"), v2);
  EXPECT_EQ(Selector("web-active"), v1);
  EXPECT_EQ(Phase("web"), "Progressing");
  Run(70);
  EXPECT_EQ(Selector("web-active"), v2);
  EXPECT_EQ(StableHash("web"), v2);
  EXPECT_EQ(Phase("web"), "Healthy");
  EXPECT_EQ(Replicas("web", v1), 3);
  Run(110);
  EXPECT_EQ(Replicas("web", v1), 0);
  EXPECT_EQ(controller.Split(Key("web"))->canary_weight_percent, 0);
}

// autoPromotionEnabled: false → BlueGreenPause (Paused, Argo CD Suspended) until promote;
// previewReplicaCount sizes the preview, scaled to full before the switch.
TEST_F(BlueGreenTest, ManualPromotionWithPreviewReplicaCount) {
  Start({{"autoPromotionEnabled", false}, {"previewReplicaCount", 1}});
  Run(100);
  EXPECT_EQ(Replicas("web", v2), 1);
  EXPECT_EQ(Phase("web"), "Paused");
  EXPECT_EQ(StringAt(Status("web"), {"message"}), "BlueGreenPause");
  EXPECT_EQ(Health("web"), "Suspended");
  EXPECT_EQ(Selector("web-active"), v1);
  ASSERT_TRUE(controller.Promote(Key("web"), false).ok());
  Run(101);
  EXPECT_EQ(Replicas("web", v2), 3);
  EXPECT_EQ(Selector("web-active"), v1);  // switches once the new ReplicaSet is saturated
  Run(120);
  EXPECT_EQ(Selector("web-active"), v2);
  EXPECT_EQ(StableHash("web"), v2);
  EXPECT_EQ(Phase("web"), "Healthy");
}

// autoPromotionSeconds: a timed pause, then the switch.
TEST_F(BlueGreenTest, AutoPromotionSeconds) {
  Start({{"autoPromotionSeconds", 60}});
  Run(100);
  EXPECT_EQ(Phase("web"), "Paused");
  Run(140);
  EXPECT_EQ(Selector("web-active"), v2);
  EXPECT_EQ(StableHash("web"), v2);
}

// Pre-promotion analysis (run <rollout>-<hash>-<revision>-pre) that fails: abort, the active
// Service stays on the stable version, the preview goes after abortScaleDownDelaySeconds.
TEST_F(BlueGreenTest, FailingPrePromotionAnalysisAborts) {
  Apply(Template("success-rate"));
  Start({{"prePromotionAnalysis",
          {{"templates", {{{"templateName", "success-rate"}}}},
           {"args", {{{"name", "service"}, {"value", "web-preview"}}}}}}});
  Run(70);
  std::string run = "web-" + v2 + "-2-pre";
  ASSERT_EQ(RunNames(), std::vector<std::string>{run});
  EXPECT_EQ(StringAt(store.Find({"argoproj.io", "AnalysisRun", "default", run})->doc(),
                     {"metadata", "labels", "rollout-type"}),
            "PrePromotion");
  EXPECT_EQ(Phase("web"), "Progressing");
  FinishRun(run, "Failed");
  Run(80);
  EXPECT_EQ(Phase("web"), "Degraded");
  EXPECT_EQ(Selector("web-active"), v1);
  EXPECT_EQ(StableHash("web"), v1);
  EXPECT_EQ(Replicas("web", v2), 3);
  Run(120);
  EXPECT_EQ(Replicas("web", v2), 0);
  ASSERT_EQ(Events("RolloutAborted").size(), 1u);
  EXPECT_NE(Events("RolloutAborted")[0].find("Blue/green pre-promotion analysis phase"),
            std::string::npos);
}

// Post-promotion analysis: stable only after it succeeds.
TEST_F(BlueGreenTest, PostPromotionAnalysisGatesStable) {
  Apply(Template("success-rate"));
  Start({{"postPromotionAnalysis",
          {{"templates", {{{"templateName", "success-rate"}}}},
           {"args", {{{"name", "service"}, {"value", "web-active"}}}}}}});
  Run(70);
  EXPECT_EQ(Selector("web-active"), v2);
  EXPECT_EQ(StableHash("web"), v1);
  EXPECT_EQ(controller.Split(Key("web"))->canary_weight_percent, 100);
  FinishRun("web-" + v2 + "-2-post", "Successful");
  Run(80);
  EXPECT_EQ(StableHash("web"), v2);
  EXPECT_EQ(Phase("web"), "Healthy");
}

}  // namespace
}  // namespace fleetsim::rollouts::testing
