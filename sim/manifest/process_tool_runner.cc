#include "sim/manifest/process_tool_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

extern char** environ;

namespace fleetsim {
namespace {

namespace fs = std::filesystem;

// A temporary directory, removed with its contents on destruction.
class Workspace {
 public:
  Workspace() {
    std::error_code ec;
    std::string pattern = (fs::temp_directory_path(ec) / "fleetsim-tool-XXXXXX").string();
    if (!ec && mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~Workspace() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  const std::string& path() const { return path_; }

  Status Write(const std::string& relative, const std::string& content) const {
    fs::path file = fs::path(path_) / relative;
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    std::ofstream out(file, std::ios::binary);
    out << content;
    out.close();
    if (ec || !out) return Status::Error("cannot write " + relative + " in the tool workspace");
    return Status::Ok();
  }

 private:
  std::string path_;
};

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// Reads both pipes to their end.
void Drain(int out_fd, int err_fd, std::string& out, std::string& err) {
  std::array<pollfd, 2> fds{{{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}}};
  std::array<std::string*, 2> sinks{&out, &err};
  int open = 2;
  char buffer[8192];
  while (open > 0) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof(buffer));
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open;
      }
    }
  }
}

// Runs the program in `cwd` to its end, collecting its output; `found` false when it is not
// installed.
Result<ToolOutcome> Spawn(const ToolInvocation& inv, const std::string& cwd) {
  int out_pipe[2];
  int err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0)
    return Status::Error("pipe: " + std::string(strerror(errno)));
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return Status::Error("pipe: " + std::string(strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
  std::vector<std::string> args = inv.args;
  args.insert(args.begin(), inv.program);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, inv.program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  ToolOutcome outcome;
  if (rc != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    if (rc == ENOENT) {
      outcome.found = false;
      return outcome;
    }
    return Status::Error("cannot run " + inv.program + ": " + strerror(rc));
  }
  Drain(out_pipe[0], err_pipe[0], outcome.out, outcome.err);
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return outcome;
}

}  // namespace

Result<ToolOutcome> ProcessToolRunner::Run(const ToolInvocation& invocation) {
  Workspace workspace;
  if (workspace.path().empty()) return Status::Error("cannot create a temporary directory");
  for (const auto& [path, content] : invocation.files) {
    if (Status s = workspace.Write(path, content); !s.ok()) return s;
  }
  std::string cwd = (fs::path(workspace.path()) / invocation.dir).string();
  std::error_code ec;
  fs::create_directories(cwd, ec);
  Result<ToolOutcome> outcome = Spawn(invocation, cwd);
  if (!outcome.ok() || !outcome->found) return outcome;
  std::string resolved = fs::canonical(workspace.path(), ec).string();
  for (std::string* text : {&outcome->out, &outcome->err}) {
    if (!ec && resolved != workspace.path())
      ReplaceAll(*text, resolved, invocation.workspace_alias);
    ReplaceAll(*text, workspace.path(), invocation.workspace_alias);
  }
  return outcome;
}

}  // namespace fleetsim
