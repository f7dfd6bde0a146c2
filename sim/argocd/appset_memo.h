// Generation is a pure function of an ApplicationSet's spec and of what its generators and the
// validation read from the sources (Git trees, cluster Secrets, projects, destinations). AppSetMemo
// keeps the last generation of an ApplicationSet with the answers it read. The next reconcile asks
// the sources the same questions in the same order; when every answer is the same, the result is
// reused instead of rendering every Application again. The questions are asked for real, each
// once per reconcile: on the first different answer the generation runs and is served the
// answers already fetched, so the sources see what a plain generation would make them see.
#ifndef FLEETSIM_SIM_ARGOCD_APPSET_MEMO_H_
#define FLEETSIM_SIM_ARGOCD_APPSET_MEMO_H_

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "sim/argocd/appset_generate.h"
#include "sim/argocd/appset_sources.h"

namespace fleetsim {

// One question to the sources and the fingerprint of its answer.
struct SourceCall {
  enum class Kind { kGitTree, kGitTreeFor, kClusterSecrets, kProjectExists, kResolveDestination };
  Kind kind = Kind::kGitTree;
  std::string a;       // repo URL, project name, or destination server
  std::string b;       // revision, or destination name
  std::string appset;  // GitTreeFor's ApplicationSet
  bool no_cache = false;
  std::string answer;

  bool SameQuestion(const SourceCall& other) const {
    return kind == other.kind && a == other.a && b == other.b && appset == other.appset &&
           no_cache == other.no_cache;
  }
};

// Passes the calls through to `inner` and keeps each question with its answer. After Rewind(),
// the kept answers are served again, in order, for as long as the same questions come. Questions
// without side effects (cluster Secrets, projects, destinations) are asked once: a repeat is
// served the first answer (the sources cannot change during one reconcile).
class RecordingSources : public AppSetSources {
 public:
  explicit RecordingSources(AppSetSources& inner) : inner_(inner) {}

  Result<Tree> GitTree(const std::string& repo_url, const std::string& revision,
                       bool no_cache) override;
  Result<Tree> GitTreeFor(std::string_view appset, const std::string& repo_url,
                          const std::string& revision, bool no_cache) override;
  Result<std::vector<AppSetCluster>> ClusterSecrets() override;
  bool ProjectExists(std::string_view name) override;
  Status ResolveDestination(std::string_view server, std::string_view name) override;

  // Asks the question of `call` (through this recorder) and returns its answer's fingerprint.
  std::string Ask(const SourceCall& call);
  void Rewind() {
    next_ = 0;
    served_.clear();
  }
  std::vector<SourceCall> Calls() const;

 private:
  using Answer = std::variant<Result<Tree>, Result<std::vector<AppSetCluster>>, bool, Status>;
  struct Entry {
    SourceCall call;
    Answer answer;
  };
  // The kept answer to `question` when it is the next one kept, else null (and the rest of the
  // kept answers are dropped: the questions have changed).
  const Answer* Replay(const SourceCall& question);
  void Keep(SourceCall call, Answer answer);

  // The answer already served to the side-effect-free `question`, or null.
  const Answer* Repeat(const SourceCall& question) const;
  void Served(size_t index);

  AppSetSources& inner_;
  std::vector<Entry> entries_;
  size_t next_ = 0;
  // Served side-effect-free questions: (kind, a, b) -> index in entries_.
  std::map<std::tuple<SourceCall::Kind, std::string, std::string>, size_t> served_;
};

// The last generation and validation of one ApplicationSet.
class AppSetMemo {
 public:
  struct Generation {
    GeneratedApps generated;
    ValidationResult validation;
    // Derived from the two above by Index().
    std::vector<std::pair<std::string, size_t>> valid;  // (name, index in apps) by name
    std::set<std::string, std::less<>> names;           // of every generated Application

    void Index();
  };

  // The remembered generation when `spec_text` is the spec it was made from and `sources` answers
  // every remembered question the same way; else null, with `sources` rewound to serve the
  // answers it fetched to the generation that follows.
  const Generation* Lookup(const std::string& spec_text, RecordingSources& sources);
  void Store(std::string spec_text, std::vector<SourceCall> calls, Generation generation);
  void Clear();

 private:
  bool valid_ = false;
  std::string spec_text_;
  std::vector<SourceCall> calls_;
  Generation generation_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_APPSET_MEMO_H_
