#include "sim/rollouts/promql.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <regex>

#include <fmt/format.h>

namespace fleetsim::rollouts {

enum class PromKind { kNumber, kSelector, kCall, kAggregate, kBinary, kNegate };

struct PromMatcher {
  std::string label;
  std::string op;  // = != =~ !~
  std::string value;
  std::optional<std::regex> regex;
};

struct PromNode {
  PromKind kind = PromKind::kNumber;
  double number = 0;
  // Selector.
  std::string name;
  std::vector<PromMatcher> matchers;
  std::optional<SimDuration> range;
  // Call / aggregate: `name`, `args`; aggregate grouping.
  std::vector<std::unique_ptr<PromNode>> args;
  std::vector<std::string> grouping;
  bool without = false;
  // Binary: `name` is the operator, args[0] op args[1].
  bool return_bool = false;
};

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

bool IsAggregation(std::string_view n) {
  return n == "sum" || n == "avg" || n == "min" || n == "max" || n == "count";
}
bool IsFunction(std::string_view n) {
  return n == "rate" || n == "irate" || n == "increase" || n == "histogram_quantile" ||
         n == "scalar" || n == "vector" || n == "abs";
}
bool IsComparison(std::string_view op) {
  return op == "==" || op == "!=" || op == ">" || op == "<" || op == ">=" || op == "<=";
}

// ---- Lexer + parser ----

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<std::unique_ptr<PromNode>> Run() {
    auto root = ParseExpr(0);
    if (!error_.empty()) return Fail();
    SkipSpace();
    if (pos_ < text_.size()) {
      Error(fmt::format("unexpected character after expression: '{}'", text_[pos_]));
      return Fail();
    }
    return root;
  }

 private:
  Status Fail() const { return Status::Error(error_); }
  void Error(const std::string& message) {
    if (!error_.empty()) return;
    // Prometheus positions are line:column, 1-based.
    size_t line = 1, column = 1;
    for (size_t i = 0; i < std::min(pos_, text_.size()); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    error_ = fmt::format("bad_data: {}:{}: parse error: {}", line, column, message);
  }
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool Peek(std::string_view s) {
    SkipSpace();
    return text_.substr(pos_, s.size()) == s;
  }
  bool Accept(std::string_view s) {
    if (!Peek(s)) return false;
    pos_ += s.size();
    return true;
  }
  void Expect(std::string_view s) {
    if (!Accept(s)) {
      Error(pos_ >= text_.size()
                ? fmt::format("unexpected end of input, expected \"{}\"", s)
                : fmt::format("unexpected character '{}', expected \"{}\"", text_[pos_], s));
    }
  }
  static bool IdentStart(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
  }
  static bool IdentChar(char c) {
    return IdentStart(c) || std::isdigit(static_cast<unsigned char>(c));
  }
  std::string Identifier() {
    SkipSpace();
    size_t start = pos_;
    if (pos_ < text_.size() && IdentStart(text_[pos_])) {
      while (pos_ < text_.size() && IdentChar(text_[pos_])) ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }
  std::optional<std::string> String() {
    SkipSpace();
    if (pos_ >= text_.size() || (text_[pos_] != '"' && text_[pos_] != '\'' && text_[pos_] != '`')) {
      Error("expected a string");
      return std::nullopt;
    }
    char quote = text_[pos_++];
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\' && quote != '`' && pos_ + 1 < text_.size()) {
        char c = text_[++pos_];
        out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
      } else {
        out += text_[pos_];
      }
      ++pos_;
    }
    if (pos_ >= text_.size()) {
      Error("unterminated quoted string");
      return std::nullopt;
    }
    ++pos_;
    return out;
  }

  // Binary operators by precedence (Prometheus: or < and/unless < comparisons < + - < * / %
  // < ^); `and`, `or`, `unless` are left out of the subset.
  static int Precedence(std::string_view op) {
    if (IsComparison(op)) return 1;
    if (op == "+" || op == "-") return 2;
    if (op == "*" || op == "/" || op == "%") return 3;
    if (op == "^") return 4;
    return -1;
  }
  std::string PeekOperator() {
    SkipSpace();
    for (std::string_view op : {"==", "!=", ">=", "<=", ">", "<", "+", "-", "*", "/", "%", "^"}) {
      if (text_.substr(pos_, op.size()) == op) return std::string(op);
    }
    return "";
  }

  std::unique_ptr<PromNode> ParseExpr(int min_precedence) {
    auto lhs = ParseUnary();
    while (error_.empty()) {
      std::string op = PeekOperator();
      int prec = Precedence(op);
      if (op.empty() || prec < min_precedence) break;
      pos_ += op.size();
      bool return_bool = false;
      if (IsComparison(op)) {
        size_t save = pos_;
        if (Identifier() == "bool") {
          return_bool = true;
        } else {
          pos_ = save;
        }
      }
      // ^ is right-associative, the others left-associative.
      auto rhs = ParseExpr(op == "^" ? prec : prec + 1);
      auto node = std::make_unique<PromNode>();
      node->kind = PromKind::kBinary;
      node->name = op;
      node->return_bool = return_bool;
      node->args.push_back(std::move(lhs));
      node->args.push_back(std::move(rhs));
      lhs = std::move(node);
    }
    return lhs;
  }

  std::unique_ptr<PromNode> ParseUnary() {
    if (Accept("-")) {
      auto node = std::make_unique<PromNode>();
      node->kind = PromKind::kNegate;
      node->args.push_back(ParseExpr(4));
      return node;
    }
    if (Accept("+")) return ParseExpr(4);
    return ParsePrimary();
  }

  std::unique_ptr<PromNode> ParsePrimary() {
    SkipSpace();
    auto node = std::make_unique<PromNode>();
    if (pos_ >= text_.size()) {
      Error("unexpected end of input");
      return node;
    }
    char c = text_[pos_];
    if (c == '(') {
      ++pos_;
      auto inner = ParseExpr(0);
      Expect(")");
      return inner;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') return ParseNumber();
    if (c == '{') return ParseSelector("");
    std::string ident = Identifier();
    if (ident.empty()) {
      Error(fmt::format("unexpected character: '{}'", c));
      return node;
    }
    if (ident == "Inf" || ident == "NaN" || ident == "inf" || ident == "nan") {
      node->number = (ident[0] == 'N' || ident[0] == 'n') ? kNaN : kInf;
      return node;
    }
    if (IsAggregation(ident)) return ParseAggregation(ident);
    if (Peek("(")) {
      if (!IsFunction(ident)) {
        Error(
            fmt::format("unknown function with name \"{}\" (fleetsim's Prometheus models "
                        "rate, irate, increase, histogram_quantile, scalar, vector, abs and "
                        "the sum, avg, min, max and count aggregations)",
                        ident));
        return node;
      }
      Accept("(");
      node->kind = PromKind::kCall;
      node->name = ident;
      if (!Peek(")")) {
        do {
          node->args.push_back(ParseExpr(0));
        } while (error_.empty() && Accept(","));
      }
      Expect(")");
      return node;
    }
    return ParseSelector(ident);
  }

  std::unique_ptr<PromNode> ParseNumber() {
    SkipSpace();
    auto node = std::make_unique<PromNode>();
    const char* begin = text_.data() + pos_;
    auto [end, ec] = std::from_chars(begin, text_.data() + text_.size(), node->number);
    if (ec != std::errc()) {
      Error("bad number");
      return node;
    }
    pos_ += static_cast<size_t>(end - begin);
    return node;
  }

  std::vector<std::string> LabelList() {
    std::vector<std::string> labels;
    Expect("(");
    if (Accept(")")) return labels;
    while (error_.empty()) {
      std::string label = Identifier();
      if (label.empty()) {
        Error("expected a label name in grouping");
        break;
      }
      labels.push_back(label);
      if (Accept(",")) {
        if (Accept(")")) break;
        continue;
      }
      Expect(")");
      break;
    }
    return labels;
  }

  void Grouping(PromNode& node) {
    size_t save = pos_;
    std::string word = Identifier();
    if (word == "by" || word == "without") {
      node.without = word == "without";
      node.grouping = LabelList();
    } else {
      pos_ = save;
    }
  }

  std::unique_ptr<PromNode> ParseAggregation(const std::string& op) {
    auto node = std::make_unique<PromNode>();
    node->kind = PromKind::kAggregate;
    node->name = op;
    Grouping(*node);
    Expect("(");
    node->args.push_back(ParseExpr(0));
    Expect(")");
    if (node->grouping.empty() && !node->without) Grouping(*node);
    return node;
  }

  std::unique_ptr<PromNode> ParseSelector(std::string name) {
    auto node = std::make_unique<PromNode>();
    node->kind = PromKind::kSelector;
    node->name = std::move(name);
    if (Accept("{")) {
      while (error_.empty() && !Accept("}")) {
        PromMatcher m;
        m.label = Identifier();
        if (m.label.empty()) {
          Error("expected a label matcher");
          break;
        }
        for (std::string_view op : {"=~", "!~", "!=", "="}) {
          if (Accept(op)) {
            m.op = op;
            break;
          }
        }
        if (m.op.empty()) {
          Error(fmt::format("expected a label matching operator after \"{}\"", m.label));
          break;
        }
        std::optional<std::string> value = String();
        if (!value) break;
        m.value = *value;
        if (m.op == "=~" || m.op == "!~") {
          try {
            m.regex.emplace("^(?:" + m.value + ")$", std::regex::ECMAScript);
          } catch (const std::regex_error&) {
            Error(fmt::format("invalid regular expression \"{}\"", m.value));
            break;
          }
        }
        if (m.label == "__name__" && m.op == "=") {
          node->name = m.value;
        } else {
          node->matchers.push_back(std::move(m));
        }
        if (!Accept(",")) {
          Expect("}");
          break;
        }
      }
    }
    if (node->name.empty() && error_.empty()) {
      Error("vector selector must contain at least one non-empty matcher");
    }
    if (Accept("[")) {
      SkipSpace();
      size_t start = pos_;
      while (pos_ < text_.size() && text_[pos_] != ']') ++pos_;
      std::optional<SimDuration> d = ParseRange(text_.substr(start, pos_ - start));
      if (!d) {
        pos_ = start;
        Error(fmt::format("bad duration syntax: \"{}\"", text_.substr(start, pos_ - start)));
      }
      node->range = d;
      Expect("]");
    }
    return node;
  }

  // Prometheus durations: one or more of <int><unit>, units y w d h m s ms.
  static std::optional<SimDuration> ParseRange(std::string_view s) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (s.empty()) return std::nullopt;
    int64_t total_ms = 0;
    while (!s.empty()) {
      size_t digits = 0;
      while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) ++digits;
      if (digits == 0 || digits > 12) return std::nullopt;
      int64_t n = 0;
      std::from_chars(s.data(), s.data() + digits, n);
      s.remove_prefix(digits);
      int64_t unit = 0;
      if (s.substr(0, 2) == "ms") {
        unit = 1;
        s.remove_prefix(2);
      } else if (!s.empty()) {
        char u = s[0];
        unit = u == 's'   ? 1000
               : u == 'm' ? 60000
               : u == 'h' ? 3600000
               : u == 'd' ? 86400000
               : u == 'w' ? 604800000
               : u == 'y' ? 31536000000
                          : 0;
        s.remove_prefix(1);
      }
      if (unit == 0) return std::nullopt;
      total_ms += n * unit;
    }
    if (total_ms <= 0) return std::nullopt;
    return SimDuration::Millis(total_ms);
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

// ---- Evaluation ----

bool Matches(const std::vector<PromMatcher>& matchers, const PromLabels& labels) {
  for (const PromMatcher& m : matchers) {
    auto it = labels.find(m.label);
    const std::string& v = it == labels.end() ? std::string() : it->second;
    bool ok = true;
    if (m.op == "=") ok = v == m.value;
    if (m.op == "!=") ok = v != m.value;
    if (m.op == "=~") ok = std::regex_match(v, *m.regex);
    if (m.op == "!~") ok = !std::regex_match(v, *m.regex);
    if (!ok) return false;
  }
  return true;
}

double Divide(double a, double b) {
  if (b != 0) return a / b;
  if (std::isnan(a) || a == 0) return kNaN;
  return a > 0 ? kInf : -kInf;
}

double Arithmetic(const std::string& op, double a, double b) {
  if (op == "+") return a + b;
  if (op == "-") return a - b;
  if (op == "*") return a * b;
  if (op == "/") return Divide(a, b);
  if (op == "%") return b == 0 ? kNaN : std::fmod(a, b);
  return std::pow(a, b);  // ^
}

bool Compare(const std::string& op, double a, double b) {
  if (op == "==") return a == b;
  if (op == "!=") return a != b;
  if (op == ">") return a > b;
  if (op == "<") return a < b;
  if (op == ">=") return a >= b;
  return a <= b;
}

PromValue Scalar(double v) { return PromValue{.is_scalar = true, .scalar = v}; }

void SortVector(std::vector<PromSample>& v) {
  std::sort(v.begin(), v.end(),
            [](const PromSample& a, const PromSample& b) { return a.labels < b.labels; });
}

// Prometheus's bucketQuantile over (upper bound, cumulative count) pairs.
double BucketQuantile(double q, std::vector<std::pair<double, double>> buckets) {
  if (q < 0) return -kInf;
  if (q > 1) return kInf;
  std::sort(buckets.begin(), buckets.end());
  if (buckets.size() < 2 || !std::isinf(buckets.back().first)) return kNaN;
  double total = buckets.back().second;
  if (total == 0) return kNaN;
  double rank = q * total;
  size_t b = 0;
  while (b + 1 < buckets.size() && buckets[b].second < rank) ++b;
  if (b == buckets.size() - 1) return buckets[buckets.size() - 2].first;
  if (b == 0 && buckets[0].first <= 0) return buckets[0].first;
  double start = b == 0 ? 0 : buckets[b - 1].first;
  double below = b == 0 ? 0 : buckets[b - 1].second;
  double in_bucket = buckets[b].second - below;
  if (in_bucket <= 0) return buckets[b].first;
  return start + (buckets[b].first - start) * ((rank - below) / in_bucket);
}

class Evaluator {
 public:
  explicit Evaluator(SeriesSource& source) : source_(source) {}

  Result<PromValue> Eval(const PromNode& n) {
    switch (n.kind) {
      case PromKind::kNumber:
        return Scalar(n.number);
      case PromKind::kSelector:
        if (n.range) return Status::Error(RangeError());
        return Select(n, SimDuration::Zero(), [](const SeriesPoint& p) { return p.total; });
      case PromKind::kNegate: {
        Result<PromValue> v = Eval(*n.args[0]);
        if (!v.ok()) return v;
        v->scalar = -v->scalar;
        for (PromSample& s : v->vector) s.value = -s.value;
        return v;
      }
      case PromKind::kCall:
        return Call(n);
      case PromKind::kAggregate:
        return Aggregate(n);
      case PromKind::kBinary:
        return Binary(n);
    }
    return Status::Error("bad_data: unknown expression");
  }

 private:
  static std::string RangeError() {
    return "bad_data: invalid parameter \"query\": invalid expression type \"range vector\" for "
           "range query, must be Scalar or instant Vector";
  }

  template <typename F>
  PromValue Select(const PromNode& n, SimDuration range, F value) {
    std::vector<SeriesPoint> points = source_.Select(
        n.name, [&n](const PromLabels& l) { return Matches(n.matchers, l); }, range);
    PromValue out;
    for (SeriesPoint& p : points) {
      if (p.present) out.vector.push_back({std::move(p.labels), value(p)});
    }
    SortVector(out.vector);
    return out;
  }

  Result<PromValue> Call(const PromNode& n) {
    auto arity = [&](size_t k) -> Status {
      if (n.args.size() == k) return Status::Ok();
      return Status::Error(
          fmt::format("bad_data: parse error: expected {} argument(s) in call to \"{}\", got {}", k,
                      n.name, n.args.size()));
    };
    if (n.name == "rate" || n.name == "irate" || n.name == "increase") {
      if (Status s = arity(1); !s.ok()) return s;
      const PromNode& sel = *n.args[0];
      if (sel.kind != PromKind::kSelector || !sel.range) {
        return Status::Error(fmt::format(
            "bad_data: parse error: expected type range vector in call to function \"{}\", got "
            "instant vector",
            n.name));
      }
      double seconds = static_cast<double>(sel.range->micros()) / 1e6;
      if (n.name == "irate") {
        return Select(sel, *sel.range, [](const SeriesPoint& p) { return p.rate_now; });
      }
      if (n.name == "increase") {
        return Select(sel, *sel.range, [](const SeriesPoint& p) { return p.increase; });
      }
      return Select(sel, *sel.range,
                    [seconds](const SeriesPoint& p) { return p.increase / seconds; });
    }
    if (n.name == "vector" || n.name == "scalar" || n.name == "abs") {
      if (Status s = arity(1); !s.ok()) return s;
      Result<PromValue> v = Eval(*n.args[0]);
      if (!v.ok()) return v;
      if (n.name == "vector") {
        if (!v->is_scalar) return TypeError(n.name, "scalar", "instant vector");
        return PromValue{.vector = {{{}, v->scalar}}};
      }
      if (v->is_scalar) return TypeError(n.name, "instant vector", "scalar");
      if (n.name == "scalar") return Scalar(v->vector.size() == 1 ? v->vector[0].value : kNaN);
      for (PromSample& s : v->vector) s.value = std::fabs(s.value);
      return v;
    }
    // histogram_quantile(φ, buckets)
    if (Status s = arity(2); !s.ok()) return s;
    Result<PromValue> q = Eval(*n.args[0]);
    if (!q.ok()) return q;
    if (!q->is_scalar) return TypeError(n.name, "scalar", "instant vector");
    Result<PromValue> v = Eval(*n.args[1]);
    if (!v.ok()) return v;
    if (v->is_scalar) return TypeError(n.name, "instant vector", "scalar");
    std::map<PromLabels, std::vector<std::pair<double, double>>> groups;
    for (PromSample& s : v->vector) {
      auto le = s.labels.find("le");
      if (le == s.labels.end()) continue;
      double bound = 0;
      if (le->second == "+Inf") {
        bound = kInf;
      } else {
        auto [end, ec] =
            std::from_chars(le->second.data(), le->second.data() + le->second.size(), bound);
        if (ec != std::errc()) continue;
      }
      PromLabels rest = s.labels;
      rest.erase("le");
      groups[rest].push_back({bound, s.value});
    }
    PromValue out;
    for (auto& [labels, buckets] : groups) {
      out.vector.push_back({labels, BucketQuantile(q->scalar, std::move(buckets))});
    }
    return out;
  }

  static Status TypeError(const std::string& fn, std::string_view want, std::string_view got) {
    return Status::Error(
        fmt::format("bad_data: parse error: expected type {} in call to function \"{}\", got {}",
                    want, fn, got));
  }

  Result<PromValue> Aggregate(const PromNode& n) {
    Result<PromValue> v = Eval(*n.args[0]);
    if (!v.ok()) return v;
    if (v->is_scalar) {
      return Status::Error(fmt::format(
          "bad_data: parse error: expected type instant vector in aggregation expression, got "
          "scalar"));
    }
    struct Acc {
      double value = 0;
      double count = 0;
    };
    std::map<PromLabels, Acc> groups;
    for (const PromSample& s : v->vector) {
      PromLabels key;
      for (const auto& [k, val] : s.labels) {
        bool listed = std::find(n.grouping.begin(), n.grouping.end(), k) != n.grouping.end();
        if (listed != n.without) key[k] = val;
      }
      auto [it, fresh] = groups.try_emplace(std::move(key));
      Acc& a = it->second;
      if (fresh || n.name == "sum" || n.name == "avg") {
        a.value = fresh ? s.value : a.value + s.value;
      } else if (n.name == "min") {
        a.value = std::min(a.value, s.value);
      } else if (n.name == "max") {
        a.value = std::max(a.value, s.value);
      }
      a.count += 1;
    }
    PromValue out;
    for (auto& [labels, a] : groups) {
      double value = n.name == "count" ? a.count : n.name == "avg" ? a.value / a.count : a.value;
      out.vector.push_back({labels, value});
    }
    return out;
  }

  Result<PromValue> Binary(const PromNode& n) {
    Result<PromValue> l = Eval(*n.args[0]);
    if (!l.ok()) return l;
    Result<PromValue> r = Eval(*n.args[1]);
    if (!r.ok()) return r;
    const std::string& op = n.name;
    bool comparison = IsComparison(op);
    if (l->is_scalar && r->is_scalar) {
      if (comparison && !n.return_bool) {
        return Status::Error(
            "bad_data: parse error: comparisons between scalars must use BOOL modifier");
      }
      double v = comparison ? (Compare(op, l->scalar, r->scalar) ? 1 : 0)
                            : Arithmetic(op, l->scalar, r->scalar);
      return Scalar(v);
    }
    // One sample against the other side's value: the result keeps the vector's labels.
    auto combine = [&](double a, double b, double keep, PromLabels labels,
                       std::vector<PromSample>& out) {
      if (!comparison) {
        out.push_back({std::move(labels), Arithmetic(op, a, b)});
      } else if (n.return_bool) {
        out.push_back({std::move(labels), Compare(op, a, b) ? 1.0 : 0.0});
      } else if (Compare(op, a, b)) {
        out.push_back({std::move(labels), keep});
      }
    };
    PromValue out;
    if (l->is_scalar || r->is_scalar) {
      const PromValue& vec = l->is_scalar ? *r : *l;
      for (const PromSample& s : vec.vector) {
        double a = l->is_scalar ? l->scalar : s.value;
        double b = l->is_scalar ? s.value : r->scalar;
        combine(a, b, s.value, s.labels, out.vector);
      }
      return out;
    }
    std::map<PromLabels, double> right;
    for (const PromSample& s : r->vector) {
      if (!right.emplace(s.labels, s.value).second) {
        return Status::Error(
            "bad_data: found duplicate series for the match group on the right hand-side of the "
            "operation; many-to-many matching not allowed: matching labels must be unique on one "
            "side");
      }
    }
    for (const PromSample& s : l->vector) {
      auto it = right.find(s.labels);
      if (it != right.end()) combine(s.value, it->second, s.value, s.labels, out.vector);
    }
    return out;
  }

  SeriesSource& source_;
};

}  // namespace

PromQuery::PromQuery(std::unique_ptr<PromNode> root) : root_(std::move(root)) {}
PromQuery::PromQuery(PromQuery&&) noexcept = default;
PromQuery& PromQuery::operator=(PromQuery&&) noexcept = default;
PromQuery::~PromQuery() = default;

Result<PromQuery> PromQuery::Parse(std::string_view text) {
  Parser parser(text);
  Result<std::unique_ptr<PromNode>> root = parser.Run();
  if (!root.ok()) return root.status();
  return PromQuery(std::move(root.value()));
}

Result<PromValue> PromQuery::Evaluate(SeriesSource& source) const {
  Evaluator evaluator(source);
  Result<PromValue> v = evaluator.Eval(*root_);
  if (v.ok() && !v->is_scalar) SortVector(v->vector);
  return v;
}

std::string FormatPromFloat(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buf[400];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::fixed);
  if (ec != std::errc()) return fmt::format("{}", value);
  return std::string(buf, end);
}

}  // namespace fleetsim::rollouts
