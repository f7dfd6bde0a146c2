// Glob patterns as Argo CD matches a directory source's include and exclude: util/glob.Match over
// github.com/gobwas/glob v0.2.3, called without separators. So `*` and `**` both match any run of
// characters, '/' included ("*.yaml" matches "sub/dir/a.yaml"); `?` matches one character;
// `[abc]`, `[!abc]`, `[a-z]` and `[!a-z]` match one character (a class holds either a list or a
// single range, not both); `{a,b}` matches either alternative (alternatives may nest and hold
// wildcards); `\` makes the next character literal. Outside braces `,` and `}` are literal; an
// unclosed `{` is closed at the end of the pattern. Characters are Unicode code points.
#ifndef FLEETSIM_SIM_MANIFEST_GLOB_H_
#define FLEETSIM_SIM_MANIFEST_GLOB_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace fleetsim {

class Glob {
 public:
  // Fails as gobwas/glob does: "unexpected end of input" for an unclosed `[`, "could not parse
  // range" for `[]` or a class mixing a list and a range, and so on. Also fails when the braces
  // would expand to more than 65536 alternatives (far beyond any real include/exclude).
  // `separators` as gobwas's Compile(pattern, separators...): `*` and `?` then never match a
  // separator, `**` still does (AppProject sourceRepos match with '/').
  static Result<Glob> Compile(std::string_view pattern, std::u32string_view separators = {});

  bool Match(std::string_view text) const;

  // One piece of an alternative-free pattern.
  struct Token {
    enum class Kind { kLiteral, kAny, kSingle, kList, kRange };
    Kind kind = Kind::kLiteral;
    char32_t ch = 0;       // kLiteral
    std::u32string chars;  // kList
    char32_t lo = 0;       // kRange
    char32_t hi = 0;       // kRange
    bool negated = false;  // kList, kRange
    bool super = false;    // kAny written `**`: crosses separators
  };

 private:
  bool MatchSequence(const std::vector<Token>& seq, const std::u32string& text) const;
  bool IsSeparator(char32_t c) const { return separators_.find(c) != std::u32string::npos; }

  std::u32string separators_;
  // The pattern with its alternatives multiplied out; the text must match one of them.
  std::vector<std::vector<Token>> sequences_;
};

// Argo CD's glob.Match: whether `text` matches `pattern`, false if the pattern does not compile.
bool GlobMatch(std::string_view pattern, std::string_view text);
// The same with separators (see Glob::Compile).
bool GlobMatch(std::string_view pattern, std::string_view text, std::u32string_view separators);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_GLOB_H_
