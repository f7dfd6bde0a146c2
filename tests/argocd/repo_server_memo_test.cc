// The repo-server's per-client memo (RepoRequestMemo) is a shortcut to where its caches answered
// last time: a client that passes one must get the same manifests, at the same virtual cost, as
// one that does not, through revision-cache expiry (timeout.reconciliation), new commits, forced
// resolves, hard refreshes, source changes and an unreachable repository. Also what an outage
// fails: only the requests that need the network.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/simulator.h"
#include "sim/argocd/repo_server.h"
#include "sim/git/git_server.h"

namespace fleetsim {
namespace {

HistoryOp Write(const std::string& path, const std::string& content) {
  return {.kind = HistoryOp::Kind::kWrite, .path = path, .content = content};
}

std::string ConfigMap(const std::string& name, const std::string& value) {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\ndata:\n  v: \"" +
         value + "\"\n";
}

// What a request's answer shows: revision, objects (by content) or error, and when it came.
struct Answer {
  std::string text;
  SimTime at;
  bool operator==(const Answer&) const = default;
};

class RepoServerMemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Repository repo;
    ASSERT_TRUE(repo.Commit({Write("a/cm.yaml", ConfigMap("a", "1")),
                             Write("b/cm.yaml", ConfigMap("b", "1"))},
                            "init", 0)
                    .ok());
    git_.AddRepository("apps", "https://example.com/apps.git", std::move(repo));
  }

  static ApplicationSource Source(const std::string& path) {
    ApplicationSource s;
    s.repo_url = "https://example.com/apps.git";
    s.target_revision = "HEAD";
    s.path = path;
    return s;
  }

  // Sends the same request to a server without memo and one with, at the current virtual time.
  void Request(const std::vector<ApplicationSource>& sources, uint64_t sources_hash, bool force,
               bool hard) {
    auto record = [this](std::vector<Answer>* out) {
      return [this, out](Result<ManifestResult> r) {
        std::string text;
        if (!r.ok()) {
          text = "error: " + r.error();
        } else {
          text = r->revision.hex();
          for (const ObjectPtr& o : r->Objects()) text += " " + o->name() + "=" + o->doc().dump();
        }
        out->push_back({text, sim_.now()});
      };
    };
    plain_.GenerateManifests(sources, force, hard, {}, record(&plain_answers_));
    memo_.GenerateManifests(sources, force, hard, {}, record(&memo_answers_),
                            {.client = 7, .sources_hash = sources_hash});
  }

  void At(int64_t seconds, std::function<void()> f) {
    sim_.At(SimTime::Zero() + SimDuration::Seconds(seconds), std::move(f));
  }

  Simulator sim_;
  GitServer git_;
  UnreachableGit remote_{git_};
  RepoServer plain_{sim_, remote_, {}};
  RepoServer memo_{sim_, remote_, {}};
  std::vector<Answer> plain_answers_;
  std::vector<Answer> memo_answers_;
};

TEST_F(RepoServerMemoTest, AnswersAndCostsAreThoseOfARequestWithoutMemo) {
  const std::vector<ApplicationSource> a = {Source("a")};
  const std::vector<ApplicationSource> ab = {Source("a"), Source("b")};
  At(0, [&] { Request(a, 1, false, false); });   // ls-remote and render
  At(30, [&] { Request(a, 1, false, false); });  // both caches answer
  At(60, [&] {                                   // a new commit: the revision cache hides it
    ASSERT_TRUE(git_.Push("apps", {Write("a/cm.yaml", ConfigMap("a", "2"))}, "bump", 60).ok());
    Request(a, 1, false, false);
  });
  At(121, [&] { Request(a, 1, false, false); });  // the revision cache expired: the new commit
  At(150, [&] { Request(a, 1, false, true); });   // hard refresh: renders again
  At(160, [&] { Request(a, 1, false, false); });
  At(170, [&] {
    ASSERT_TRUE(git_.Push("apps", {Write("b/cm.yaml", ConfigMap("b", "2"))}, "b", 170).ok());
    Request(a, 1, true, false);  // forced resolve sees the commit at once
  });
  At(180, [&] { Request(ab, 2, false, false); });  // the sources changed
  At(190, [&] { Request(ab, 2, false, false); });
  At(200, [&] { Request(a, 1, false, false); });  // and back
  At(250, [&] {
    remote_.SetUnreachable("https://example.com/apps.git", true);
    Request(a, 1, false, false);
  });
  At(400, [&] { Request(a, 1, false, false); });  // expired while unreachable
  At(500, [&] {
    remote_.SetUnreachable("https://example.com/apps.git", false);
    Request(a, 1, false, false);
  });
  At(510, [&] { Request(a, 1, false, false); });
  sim_.RunAll();
  ASSERT_EQ(plain_answers_.size(), 14u);
  EXPECT_EQ(memo_answers_, plain_answers_);
  // The cache states match too: every render the plain server did, the memo server did.
  EXPECT_EQ(memo_.render_cache().misses(), plain_.render_cache().misses());
  EXPECT_NE(plain_answers_[0].text, plain_answers_[3].text);  // the bump arrived at t=121
  EXPECT_EQ(plain_answers_[0].text, plain_answers_[2].text);  // not at t=60
}

// Argo CD's repo-server needs the network only for `git ls-remote` (a revision the revision cache
// does not answer) and for fetching a commit its working copy lacks (reposerver
// runRepoOperation: the manifest cache is consulted after resolving, and checkoutRevision fetches
// only when the revision is not present locally). So an unreachable Git server fails a request
// only once one of those is needed.
TEST_F(RepoServerMemoTest, AnOutageFailsOnlyWhatNeedsTheNetwork) {
  const std::string url = "https://example.com/apps.git";
  std::vector<std::string> got;
  auto request = [&](const std::string& path, bool force) {
    memo_.GenerateManifests({Source(path)}, force, false, {}, [&](Result<ManifestResult> r) {
      got.push_back(r.ok() ? r->revision.hex().substr(0, 7) : "error: " + r.error());
    });
  };
  At(0, [&] { request("a", false); });
  At(10, [&] {
    remote_.SetUnreachable(url, true);
    request("a", false);  // the revision cache, the clone and the manifest cache answer
  });
  At(20, [&] { request("b", false); });   // rendered from the clone: no network either
  At(30, [&] { request("a", true); });    // a forced resolve runs ls-remote: fails
  At(130, [&] { request("a", false); });  // the revision cache expired: ls-remote fails
  At(200, [&] {
    remote_.SetUnreachable(url, false);
    ASSERT_TRUE(git_.Push("apps", {Write("a/cm.yaml", ConfigMap("a", "2"))}, "bump", 200).ok());
    // Resolved (and cached) but not yet fetched when the outage starts again.
    ASSERT_TRUE(memo_.ResolveRevision(url, "HEAD", /*force=*/true).ok());
    remote_.SetUnreachable(url, true);
    request("a", false);  // the new commit is not in the clone: the fetch fails
  });
  sim_.RunAll();
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got[1], got[0]);
  EXPECT_EQ(got[2], got[0]);
  for (size_t i : {3u, 4u, 5u}) {
    EXPECT_NE(got[i].find("error: "), std::string::npos) << i << ": " << got[i];
    EXPECT_NE(got[i].find("i/o timeout"), std::string::npos) << i << ": " << got[i];
  }
}

}  // namespace
}  // namespace fleetsim
