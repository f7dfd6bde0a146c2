#include "sim/manifest/glob.h"

#include <optional>
#include <utility>

#include "sim/manifest/utf8.h"

namespace fleetsim {
namespace {

using Token = Glob::Token;
using Sequence = std::vector<Token>;

constexpr size_t kMaxSequences = 65536;
constexpr char32_t kReplacement = 0xfffd;

// A parsed pattern: a sequence whose items are tokens or sets of alternative patterns.
struct Pattern;
struct Item {
  Token token;
  std::vector<Pattern> alternatives;  // non-empty for `{...}`
};
struct Pattern {
  std::vector<Item> items;
};

// gobwas/glob's lexer and parser, as one recursive descent over code points. A 0 code point ends
// the pattern, as it does for gobwas's lexer.
class Parser {
 public:
  explicit Parser(std::u32string pattern) : p_(std::move(pattern)) {
    p_ = p_.substr(0, p_.find(U'\0'));
  }

  Result<Pattern> Parse() {
    if (p_.find(kReplacement) != std::u32string::npos) return Status::Error("could not read rune");
    Pattern root;
    if (Status s = ParseSequence(false, root); !s.ok()) return s;
    return root;
  }

 private:
  bool AtEnd() const { return pos_ >= p_.size(); }

  // Items up to the end, or inside braces up to an unescaped ',' or '}' (not consumed).
  Status ParseSequence(bool in_terms, Pattern& out) {
    while (!AtEnd()) {
      const char32_t c = p_[pos_];
      if (in_terms && (c == U',' || c == U'}')) return Status::Ok();
      Item item;
      if (c == U'{') {
        ++pos_;
        if (Status s = ParseAlternatives(item); !s.ok()) return s;
      } else if (c == U'[') {
        ++pos_;
        if (Status s = ParseClass(item.token); !s.ok()) return s;
      } else if (c == U'?') {
        ++pos_;
        item.token.kind = Token::Kind::kSingle;
      } else if (c == U'*') {
        ++pos_;
        item.token.kind = Token::Kind::kAny;
        if (!AtEnd() && p_[pos_] == U'*') {  // `**`: the same across separators
          ++pos_;
          item.token.super = true;
        }
      } else {
        for (char32_t ch : ReadText(in_terms ? U"?*[{}," : U"?*[{")) {
          out.items.push_back(Item{.token = Token{.ch = ch}});
        }
        continue;
      }
      out.items.push_back(std::move(item));
    }
    return Status::Ok();
  }

  Status ParseAlternatives(Item& item) {
    while (true) {
      Pattern alternative;
      if (Status s = ParseSequence(true, alternative); !s.ok()) return s;
      item.alternatives.push_back(std::move(alternative));
      if (AtEnd()) return Status::Ok();  // an unclosed '{' ends with the pattern
      if (p_[pos_++] == U'}') return Status::Ok();
    }
  }

  // After '[': an optional '!', then either "lo-hi" or a list of characters, then ']'.
  Status ParseClass(Token& token) {
    token.kind = Token::Kind::kList;
    if (!AtEnd() && p_[pos_] == U'!') {
      token.negated = true;
      ++pos_;
    }
    if (AtEnd()) return Status::Error("unexpected end of input");
    if (pos_ + 1 < p_.size() && p_[pos_ + 1] == U'-') {
      token.kind = Token::Kind::kRange;
      token.lo = p_[pos_];
      pos_ += 2;
      if (AtEnd()) return Status::Error("unexpected end of input");
      token.hi = p_[pos_++];
      if (token.hi < token.lo) {
        return Status::Error("hi character should be greater than lo");
      }
    } else {
      token.chars = ReadText(U"]");
    }
    if (AtEnd()) return Status::Error("unexpected end of input");
    if (p_[pos_++] != U']') return Status::Error("expected close range character");
    if (token.kind == Token::Kind::kList && token.chars.empty()) {
      return Status::Error("could not parse range");
    }
    return Status::Ok();
  }

  // Literal text up to an unescaped breaker; '\' takes the next character as it is.
  std::u32string ReadText(std::u32string_view breakers) {
    std::u32string text;
    while (!AtEnd()) {
      char32_t c = p_[pos_];
      if (c == U'\\') {
        if (++pos_ >= p_.size()) break;  // a trailing '\' is dropped
        c = p_[pos_];
      } else if (breakers.find(c) != std::u32string_view::npos) {
        break;
      }
      text += c;
      ++pos_;
    }
    return text;
  }

  std::u32string p_;
  size_t pos_ = 0;
};

// The alternative-free sequences a pattern stands for; nullopt past kMaxSequences.
std::optional<std::vector<Sequence>> Expand(const Pattern& pattern) {
  std::vector<Sequence> out(1);
  for (const Item& item : pattern.items) {
    if (item.alternatives.empty()) {
      for (Sequence& seq : out) seq.push_back(item.token);
      continue;
    }
    std::vector<Sequence> tails;
    for (const Pattern& alternative : item.alternatives) {
      std::optional<std::vector<Sequence>> expanded = Expand(alternative);
      if (!expanded) return std::nullopt;
      for (Sequence& s : *expanded) tails.push_back(std::move(s));
    }
    if (out.size() * tails.size() > kMaxSequences) return std::nullopt;
    std::vector<Sequence> next;
    for (const Sequence& head : out) {
      for (const Sequence& tail : tails) {
        next.push_back(head);
        next.back().insert(next.back().end(), tail.begin(), tail.end());
      }
    }
    out = std::move(next);
  }
  return out;
}

bool MatchesOne(const Token& t, char32_t c) {
  switch (t.kind) {
    case Token::Kind::kLiteral:
      return t.ch == c;
    case Token::Kind::kSingle:
      return true;
    case Token::Kind::kList:
      return (t.chars.find(c) != std::u32string::npos) != t.negated;
    case Token::Kind::kRange:
      return (t.lo <= c && c <= t.hi) != t.negated;
    case Token::Kind::kAny:
      return false;
  }
  return false;
}

}  // namespace

Result<Glob> Glob::Compile(std::string_view pattern, std::u32string_view separators) {
  Result<Pattern> parsed = Parser(DecodeUtf8(pattern)).Parse();
  if (!parsed.ok()) return parsed.status();
  std::optional<std::vector<Sequence>> sequences = Expand(*parsed);
  if (!sequences) return Status::Error("too many alternatives");
  Glob glob;
  glob.sequences_ = std::move(*sequences);
  glob.separators_ = separators;
  return glob;
}

// Wildcard matching by dynamic programming: can[j] says whether the tokens so far match text[0, j).
bool Glob::MatchSequence(const std::vector<Token>& seq, const std::u32string& text) const {
  std::vector<char> can(text.size() + 1, 0);
  can[0] = 1;
  for (const Token& t : seq) {
    std::vector<char> next(text.size() + 1, 0);
    if (t.kind == Token::Kind::kAny) {
      bool reachable = false;
      for (size_t j = 0; j <= text.size(); ++j) {
        if (j > 0 && !t.super && IsSeparator(text[j - 1])) reachable = false;
        reachable = reachable || can[j];
        next[j] = reachable;
      }
    } else {
      for (size_t j = 0; j < text.size(); ++j) {
        bool single_ok = t.kind != Token::Kind::kSingle || !IsSeparator(text[j]);
        next[j + 1] = can[j] && single_ok && MatchesOne(t, text[j]);
      }
    }
    can = std::move(next);
  }
  return can[text.size()];
}

bool Glob::Match(std::string_view text) const {
  const std::u32string runes = DecodeUtf8(text);
  for (const Sequence& seq : sequences_) {
    if (MatchSequence(seq, runes)) return true;
  }
  return false;
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  Result<Glob> glob = Glob::Compile(pattern);
  return glob.ok() && glob->Match(text);
}

bool GlobMatch(std::string_view pattern, std::string_view text, std::u32string_view separators) {
  Result<Glob> glob = Glob::Compile(pattern, separators);
  return glob.ok() && glob->Match(text);
}

}  // namespace fleetsim
