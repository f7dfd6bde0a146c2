// text/template's lexer (text/template/parse/lex.go): splits template text into items, with
// "{{" "}}" delimiters, "{{-" "-}}" trim markers and "{{/* */}}" comments. Errors are items too
// ("bad character U+005B '['", "unclosed action"); after one, only EOF follows.
#ifndef FLEETSIM_SIM_TEMPLATE_LEXER_H_
#define FLEETSIM_SIM_TEMPLATE_LEXER_H_

#include <string>
#include <string_view>

namespace fleetsim::gotmpl {

enum class ItemType {
  kError,
  kBool,
  kChar,  // printable ASCII character; grab bag for comma etc.
  kCharConstant,
  kComment,
  kComplex,
  kAssign,   // '='
  kDeclare,  // ':='
  kEOF,
  kField,  // .Field
  kIdentifier,
  kLeftDelim,
  kLeftParen,
  kNumber,
  kPipe,
  kRawString,
  kRightDelim,
  kRightParen,
  kSpace,
  kString,
  kText,
  kVariable,  // $x
  // Keywords after this point.
  kKeyword,
  kBlock,
  kBreak,
  kContinue,
  kDot,
  kDefine,
  kElse,
  kEnd,
  kIf,
  kNil,
  kRange,
  kTemplate,
  kWith,
};

struct Item {
  ItemType type = ItemType::kEOF;
  int pos = 0;
  std::string_view val;  // into the template text, or into the lexer's error message
  int line = 1;
};

// Go's item.String(): `"x"`, `<if>`, "EOF", the error text, or a quoted prefix of long values.
std::string ItemString(const Item& item);

class Lexer {
 public:
  explicit Lexer(std::string_view input) : input_(input) {}
  Item Next();

 private:
  enum class State { kText, kLeftDelim, kInsideAction, kDone };
  char32_t NextRune();
  char32_t PeekRune();
  void Backup();
  Item Emit(ItemType t);
  Item Errorf(std::string message);
  void Ignore();
  bool AtRightDelim(bool* trim) const;
  bool AtTerminator();
  bool ScanNumber();

  bool LexText(Item& out);
  bool LexLeftDelim(Item& out);
  bool LexComment(Item& out);
  bool LexRightDelim(Item& out);
  bool LexInsideAction(Item& out);
  Item LexSpace();
  Item LexIdentifier();
  Item LexFieldOrVariable(ItemType t);
  Item LexQuote(char32_t quote, ItemType t, const char* unterminated);
  Item LexNumber();

  std::string_view input_;
  size_t pos_ = 0;
  size_t start_ = 0;
  size_t width_ = 0;
  int line_ = 1;
  int start_line_ = 1;
  int paren_depth_ = 0;
  State state_ = State::kText;
  std::string error_;
};

}  // namespace fleetsim::gotmpl

#endif  // FLEETSIM_SIM_TEMPLATE_LEXER_H_
