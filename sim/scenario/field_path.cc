#include "sim/scenario/field_path.h"

namespace fleetsim {
namespace {

constexpr size_t kMaxIndexDigits = 9;

class PathParser {
 public:
  explicit PathParser(std::string_view path) : path_(path) {}

  Result<std::vector<FieldPathStep>> Parse() {
    if (path_.empty()) return Error("empty path", 0);
    while (true) {
      if (Status s = Key(); !s.ok()) return s;
      while (Peek('[')) {
        if (Status s = Index(); !s.ok()) return s;
      }
      if (at_ == path_.size()) return std::move(steps_);
      if (!Peek('.')) return Error("expected '.' or '['", at_);
      ++at_;
    }
  }

 private:
  bool Peek(char c) const { return at_ < path_.size() && path_[at_] == c; }

  Status Error(std::string_view what, size_t where) const {
    return Status::Error("invalid path \"" + std::string(path_) + "\": " + std::string(what) +
                         " at character " + std::to_string(where + 1));
  }

  Status Key() {
    FieldPathStep step;
    step.begin = at_;
    if (Peek('"')) {
      size_t close = path_.find('"', at_ + 1);
      if (close == std::string_view::npos) return Error("unterminated quote", at_);
      step.key = std::string(path_.substr(at_ + 1, close - at_ - 1));
      at_ = close + 1;
      if (at_ < path_.size() && !Peek('.') && !Peek('[')) {
        return Error("expected '.' or '[' after a quoted key", at_);
      }
    } else {
      size_t end = path_.find_first_of(".[]\"", at_);
      if (end == std::string_view::npos) end = path_.size();
      step.key = std::string(path_.substr(at_, end - at_));
      at_ = end;
      if (Peek(']') || Peek('"')) return Error(std::string("unexpected '") + path_[at_] + "'", at_);
    }
    if (step.key.empty()) return Error("empty key", step.begin);
    step.end = at_;
    steps_.push_back(std::move(step));
    return Status::Ok();
  }

  Status Index() {
    FieldPathStep step;
    step.is_index = true;
    step.begin = at_++;
    size_t digits = 0;
    while (at_ < path_.size() && path_[at_] >= '0' && path_[at_] <= '9') {
      if (++digits > kMaxIndexDigits) return Error("index too large", step.begin);
      step.index = step.index * 10 + static_cast<size_t>(path_[at_++] - '0');
    }
    if (digits == 0 || !Peek(']')) return Error("expected a list index such as [0]", step.begin);
    step.end = ++at_;
    steps_.push_back(std::move(step));
    return Status::Ok();
  }

  std::string_view path_;
  size_t at_ = 0;
  std::vector<FieldPathStep> steps_;
};

}  // namespace

Result<std::vector<FieldPathStep>> ParseFieldPath(std::string_view path) {
  return PathParser(path).Parse();
}

}  // namespace fleetsim
