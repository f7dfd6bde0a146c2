// The lexer of the expr-lang subset (github.com/expr-lang/expr, parser/lexer): identifiers,
// numbers, strings in double, single or back quotes, operators and brackets. Positions are
// 1-based line and column of a token's first character, as expr-lang prints them in "(1:10)".
#ifndef FLEETSIM_SIM_ROLLOUTS_EXPR_LEXER_H_
#define FLEETSIM_SIM_ROLLOUTS_EXPR_LEXER_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace fleetsim::rollouts {

enum class TokenKind { kIdentifier, kNumber, kString, kOperator, kBracket, kEof };

struct Token {
  TokenKind kind = TokenKind::kEof;
  std::string value;  // unquoted and unescaped for strings, as written otherwise
  int line = 1;
  int column = 1;

  bool Is(TokenKind k, std::string_view v) const { return kind == k && value == v; }
  // expr-lang's Token.String(): `Operator(">")`, `Identifier("x")`, or `EOF`.
  std::string Describe() const;
};

// "<message> (line:column)", the shape of expr-lang's file.Error.
std::string PositionedMessage(std::string_view message, int line, int column);

// The tokens of `text`, ending with one kEof token. Errors: an unterminated string, a bad
// escape, a malformed number or a character that starts no token.
Result<std::vector<Token>> Lex(std::string_view text);

}  // namespace fleetsim::rollouts

#endif  // FLEETSIM_SIM_ROLLOUTS_EXPR_LEXER_H_
