#include "sim/rollouts/expr_lexer.h"

#include <cctype>
#include <cstdint>

#include <fmt/format.h>

#include "sim/manifest/utf8.h"

namespace fleetsim::rollouts {
namespace {

std::string_view KindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kIdentifier:
      return "Identifier";
    case TokenKind::kNumber:
      return "Number";
    case TokenKind::kString:
      return "String";
    case TokenKind::kOperator:
      return "Operator";
    case TokenKind::kBracket:
      return "Bracket";
    case TokenKind::kEof:
      return "EOF";
  }
  return "?";
}

bool IsIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}
bool IsIdentChar(char c) {
  return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)) != 0;
}
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipSpace();
      Token token{.line = line_, .column = column()};
      if (pos_ >= text_.size()) {
        tokens.push_back(token);
        return tokens;
      }
      Status status = Next(token);
      if (!status.ok()) return status;
      tokens.push_back(std::move(token));
    }
  }

 private:
  int column() const { return static_cast<int>(pos_ - line_start_) + 1; }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  Status ErrorHere(std::string_view message) const {
    return Status::Error(PositionedMessage(message, line_, column()));
  }

  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])) != 0) {
      if (text_[pos_] == '\n') {
        ++line_;
        line_start_ = pos_ + 1;
      }
      ++pos_;
    }
  }

  Status Next(Token& token) {
    char c = Peek();
    if (IsIdentStart(c)) {
      size_t start = pos_;
      while (IsIdentChar(Peek())) ++pos_;
      token.kind = TokenKind::kIdentifier;
      token.value = std::string(text_.substr(start, pos_ - start));
      return Status::Ok();
    }
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) return Number(token);
    if (c == '"' || c == '\'' || c == '`') return String(token);
    if (c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}') {
      token.kind = TokenKind::kBracket;
      token.value = std::string(1, c);
      ++pos_;
      return Status::Ok();
    }
    static constexpr std::string_view kTwoChar[] = {
        "||", "&&", "==", "!=", "<=", ">=", "**", "??", "?.", ".."};
    for (std::string_view op : kTwoChar) {
      if (text_.substr(pos_, 2) == op) {
        token.kind = TokenKind::kOperator;
        token.value = std::string(op);
        pos_ += 2;
        return Status::Ok();
      }
    }
    static constexpr std::string_view kOneChar = "!<>+-*/%^?:.,#";
    if (kOneChar.find(c) != std::string_view::npos) {
      token.kind = TokenKind::kOperator;
      token.value = std::string(1, c);
      ++pos_;
      return Status::Ok();
    }
    return ErrorHere(fmt::format("unrecognized character: U+{:04X} '{}'",
                                 static_cast<unsigned>(static_cast<unsigned char>(c)), c));
  }

  Status Number(Token& token) {
    size_t start = pos_;
    auto digits = [&] {
      while (IsDigit(Peek()) || Peek() == '_') ++pos_;
    };
    if (Peek() == '0' && (Peek(1) == 'x' || Peek(1) == 'X')) {
      pos_ += 2;
      while (std::isxdigit(static_cast<unsigned char>(Peek())) != 0 || Peek() == '_') ++pos_;
    } else {
      digits();
      if (Peek() == '.' && Peek(1) != '.') {
        ++pos_;
        digits();
      }
      if (Peek() == 'e' || Peek() == 'E') {
        ++pos_;
        if (Peek() == '+' || Peek() == '-') ++pos_;
        if (!IsDigit(Peek())) return ErrorHere("invalid number: missing exponent digits");
        digits();
      }
    }
    if (IsIdentStart(Peek())) return ErrorHere("bad number syntax");
    token.kind = TokenKind::kNumber;
    token.value = std::string(text_.substr(start, pos_ - start));
    return Status::Ok();
  }

  Status String(Token& token) {
    char quote = Peek();
    ++pos_;
    token.kind = TokenKind::kString;
    while (true) {
      if (pos_ >= text_.size()) {
        return Status::Error(PositionedMessage("literal not terminated", token.line, token.column));
      }
      char c = text_[pos_++];
      if (c == quote) return Status::Ok();
      if (c == '\n' && quote != '`') {
        return Status::Error(PositionedMessage("literal not terminated", token.line, token.column));
      }
      if (c != '\\' || quote == '`') {
        token.value += c;
        continue;
      }
      Status status = Escape(token.value);
      if (!status.ok()) return status;
    }
  }

  Status Escape(std::string& out) {
    char e = Peek();
    ++pos_;
    switch (e) {
      case 'n':
        out += '\n';
        return Status::Ok();
      case 't':
        out += '\t';
        return Status::Ok();
      case 'r':
        out += '\r';
        return Status::Ok();
      case '\\':
      case '"':
      case '\'':
      case '`':
        out += e;
        return Status::Ok();
      case 'u': {
        uint32_t code = 0;
        for (int i = 0; i < 4; ++i) {
          char h = Peek();
          if (std::isxdigit(static_cast<unsigned char>(h)) == 0) {
            return ErrorHere("invalid char escape");
          }
          code = code * 16 +
                 static_cast<uint32_t>(IsDigit(h) ? h - '0' : (std::tolower(h) - 'a' + 10));
          ++pos_;
        }
        AppendUtf8(out, static_cast<char32_t>(code));
        return Status::Ok();
      }
      default:
        return ErrorHere("invalid char escape");
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t line_start_ = 0;
  int line_ = 1;
};

}  // namespace

std::string Token::Describe() const {
  if (kind == TokenKind::kEof) return "EOF";
  return fmt::format("{}(\"{}\")", KindName(kind), value);
}

std::string PositionedMessage(std::string_view message, int line, int column) {
  return fmt::format("{} ({}:{})", message, line, column);
}

Result<std::vector<Token>> Lex(std::string_view text) { return Lexer(text).Run(); }

}  // namespace fleetsim::rollouts
