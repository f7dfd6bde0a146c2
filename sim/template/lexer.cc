#include "sim/template/lexer.h"

#include <cstdio>

#include "sim/manifest/utf8.h"
#include "sim/text/go_text.h"

namespace fleetsim::gotmpl {
namespace {

constexpr char32_t kEof = static_cast<char32_t>(-1);
constexpr std::string_view kLeftDelim = "{{";
constexpr std::string_view kRightDelim = "}}";
constexpr std::string_view kLeftComment = "/*";
constexpr std::string_view kRightComment = "*/";

bool IsSpace(char32_t r) { return r == ' ' || r == '\t' || r == '\r' || r == '\n'; }

// unicode.IsLetter / IsDigit, with every non-ASCII rune counted as a letter.
bool IsAlphaNumeric(char32_t r) {
  if (r == kEof) return false;
  return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') ||
         (r >= 0x80 && r != 0xFFFD);
}

bool HasLeftTrimMarker(std::string_view s) {
  return s.size() >= 2 && s[0] == '-' && IsSpace(static_cast<unsigned char>(s[1]));
}
bool HasRightTrimMarker(std::string_view s) {
  return s.size() >= 2 && IsSpace(static_cast<unsigned char>(s[0])) && s[1] == '-';
}

size_t RightTrimLength(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && IsSpace(static_cast<unsigned char>(s[s.size() - 1 - n]))) ++n;
  return n;
}
size_t LeftTrimLength(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && IsSpace(static_cast<unsigned char>(s[n]))) ++n;
  return n;
}

// fmt's %#U: "U+005B '['" (the character only when printable).
std::string RuneDescription(char32_t r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(r));
  std::string s = buf;
  const bool printable = r >= 0x80 || (r >= 0x20 && r < 0x7F);  // strconv.IsPrint, roughly
  if (printable && r != kEof) {
    s += " '";
    AppendUtf8(s, static_cast<char32_t>(r));
    s += "'";
  }
  return s;
}

// Go's %q for a string, limited to `max_runes` runes when positive ("%.10q").
std::string QuotePrefix(std::string_view s, size_t max_bytes) {
  std::string out = "\"";
  size_t runes = 0;
  for (size_t i = 0; i < s.size() && runes < max_bytes; ++runes) {
    size_t len = Utf8SequenceLength(s, i);
    if (len > 1) {
      out.append(s.substr(i, len));
      i += len;
      continue;
    }
    unsigned char c = static_cast<unsigned char>(s[i++]);
    if (AppendEscapedByte(out, c)) continue;
    if (c >= 0x80) {  // a byte of no valid UTF-8 sequence
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

ItemType Keyword(std::string_view word) {
  static constexpr std::pair<std::string_view, ItemType> kKeywords[] = {
      {"block", ItemType::kBlock},
      {"break", ItemType::kBreak},
      {"continue", ItemType::kContinue},
      {"define", ItemType::kDefine},
      {"else", ItemType::kElse},
      {"end", ItemType::kEnd},
      {"if", ItemType::kIf},
      {"range", ItemType::kRange},
      {"nil", ItemType::kNil},
      {"template", ItemType::kTemplate},
      {"with", ItemType::kWith},
  };
  for (const auto& [name, type] : kKeywords) {
    if (name == word) return type;
  }
  return ItemType::kError;
}

}  // namespace

std::string ItemString(const Item& item) {
  if (item.type == ItemType::kEOF) return "EOF";
  if (item.type == ItemType::kError) return std::string(item.val);
  if (item.type > ItemType::kKeyword) return "<" + std::string(item.val) + ">";
  size_t runes = DecodeUtf8(item.val).size();
  if (runes > 10) return QuotePrefix(item.val, 10) + "...";
  return QuotePrefix(item.val, runes);
}

char32_t Lexer::NextRune() {
  if (pos_ >= input_.size()) {
    width_ = 0;
    return kEof;
  }
  size_t len = Utf8SequenceLength(input_, pos_);
  char32_t r;
  if (len <= 1) {
    r = len == 0 ? 0xFFFD : static_cast<unsigned char>(input_[pos_]);
    len = 1;
  } else {
    r = DecodeUtf8(input_.substr(pos_, len))[0];
  }
  width_ = len;
  pos_ += len;
  if (r == '\n') ++line_;
  return r;
}

char32_t Lexer::PeekRune() {
  char32_t r = NextRune();
  Backup();
  return r;
}

void Lexer::Backup() {
  if (width_ == 0) return;
  pos_ -= width_;
  if (width_ == 1 && input_[pos_] == '\n') --line_;
  width_ = 0;
}

Item Lexer::Emit(ItemType t) {
  Item item{t, static_cast<int>(start_), input_.substr(start_, pos_ - start_), start_line_};
  start_ = pos_;
  start_line_ = line_;
  return item;
}

void Lexer::Ignore() {
  start_ = pos_;
  start_line_ = line_;
}

Item Lexer::Errorf(std::string message) {
  error_ = std::move(message);
  state_ = State::kDone;
  Item item{ItemType::kError, static_cast<int>(start_), error_, start_line_};
  start_ = pos_ = input_.size();
  return item;
}

bool Lexer::AtRightDelim(bool* trim) const {
  std::string_view rest = input_.substr(pos_);
  if (HasRightTrimMarker(rest) && rest.substr(2).starts_with(kRightDelim)) {
    *trim = true;
    return true;
  }
  *trim = false;
  return rest.starts_with(kRightDelim);
}

Item Lexer::Next() {
  Item item;
  for (;;) {
    switch (state_) {
      case State::kDone:
        return Item{ItemType::kEOF, static_cast<int>(pos_), {}, line_};
      case State::kText:
        if (LexText(item)) return item;
        break;
      case State::kLeftDelim:
        if (LexLeftDelim(item)) return item;
        break;
      case State::kInsideAction:
        if (LexInsideAction(item)) return item;
        break;
    }
  }
}

bool Lexer::LexText(Item& out) {
  size_t x = input_.find(kLeftDelim, pos_);
  if (x != std::string_view::npos) {
    state_ = State::kLeftDelim;
    if (x > pos_) {
      size_t trim = 0;
      if (HasLeftTrimMarker(input_.substr(x + kLeftDelim.size()))) {
        trim = RightTrimLength(input_.substr(start_, x - start_));
      }
      for (size_t i = pos_; i < x - trim; ++i) line_ += input_[i] == '\n';
      pos_ = x - trim;
      Item item = Emit(ItemType::kText);
      for (size_t i = pos_; i < x; ++i) line_ += input_[i] == '\n';
      pos_ = x;
      Ignore();
      if (!item.val.empty()) {
        out = item;
        return true;
      }
    }
    return false;
  }
  for (size_t i = pos_; i < input_.size(); ++i) line_ += input_[i] == '\n';
  pos_ = input_.size();
  state_ = State::kDone;
  if (pos_ > start_) {
    out = Emit(ItemType::kText);
  } else {
    out = Emit(ItemType::kEOF);
  }
  return true;
}

bool Lexer::LexLeftDelim(Item& out) {
  pos_ += kLeftDelim.size();
  const bool trim = HasLeftTrimMarker(input_.substr(pos_));
  const size_t after_marker = trim ? 2 : 0;
  if (input_.substr(pos_ + after_marker).starts_with(kLeftComment)) {
    pos_ += after_marker;
    Ignore();
    return LexComment(out);
  }
  Item item = Emit(ItemType::kLeftDelim);
  pos_ += after_marker;
  Ignore();
  paren_depth_ = 0;
  state_ = State::kInsideAction;
  out = item;
  return true;
}

bool Lexer::LexComment(Item& out) {
  pos_ += kLeftComment.size();
  size_t x = input_.find(kRightComment, pos_);
  if (x == std::string_view::npos) {
    out = Errorf("unclosed comment");
    return true;
  }
  for (size_t i = pos_; i < x; ++i) line_ += input_[i] == '\n';
  pos_ = x + kRightComment.size();
  bool trim = false;
  if (!AtRightDelim(&trim)) {
    out = Errorf("comment ends before closing delimiter");
    return true;
  }
  if (trim) pos_ += 2;
  pos_ += kRightDelim.size();
  if (trim) {
    size_t n = LeftTrimLength(input_.substr(pos_));
    for (size_t i = pos_; i < pos_ + n; ++i) line_ += input_[i] == '\n';
    pos_ += n;
  }
  Ignore();
  state_ = State::kText;
  return false;
}

bool Lexer::LexRightDelim(Item& out) {
  bool trim = false;
  AtRightDelim(&trim);
  if (trim) {
    pos_ += 2;
    Ignore();
  }
  pos_ += kRightDelim.size();
  out = Emit(ItemType::kRightDelim);
  if (trim) {
    size_t n = LeftTrimLength(input_.substr(pos_));
    for (size_t i = pos_; i < pos_ + n; ++i) line_ += input_[i] == '\n';
    pos_ += n;
    Ignore();
  }
  state_ = State::kText;
  return true;
}

bool Lexer::LexInsideAction(Item& out) {
  bool trim = false;
  if (AtRightDelim(&trim)) {
    if (paren_depth_ == 0) return LexRightDelim(out);
    out = Errorf("unclosed left paren");
    return true;
  }
  char32_t r = NextRune();
  if (r == kEof) {
    out = Errorf("unclosed action");
  } else if (IsSpace(r)) {
    Backup();
    out = LexSpace();
  } else if (r == '=') {
    out = Emit(ItemType::kAssign);
  } else if (r == ':') {
    if (NextRune() != '=') {
      out = Errorf("expected :=");
    } else {
      out = Emit(ItemType::kDeclare);
    }
  } else if (r == '|') {
    out = Emit(ItemType::kPipe);
  } else if (r == '"') {
    out = LexQuote('"', ItemType::kString, "unterminated quoted string");
  } else if (r == '`') {
    out = LexQuote('`', ItemType::kRawString, "unterminated raw quoted string");
  } else if (r == '\'') {
    out = LexQuote('\'', ItemType::kCharConstant, "unterminated character constant");
  } else if (r == '$') {
    out = LexFieldOrVariable(ItemType::kVariable);
  } else if (r == '.' && !(pos_ < input_.size() && input_[pos_] >= '0' && input_[pos_] <= '9')) {
    out = LexFieldOrVariable(ItemType::kField);
  } else if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
    Backup();
    out = LexNumber();
  } else if (IsAlphaNumeric(r)) {
    Backup();
    out = LexIdentifier();
  } else if (r == '(') {
    ++paren_depth_;
    out = Emit(ItemType::kLeftParen);
  } else if (r == ')') {
    --paren_depth_;
    if (paren_depth_ < 0) {
      out = Errorf("unexpected right paren " + RuneDescription(r));
    } else {
      out = Emit(ItemType::kRightParen);
    }
  } else if (r < 0x80 && r >= 0x20 && r != 0x7F) {
    out = Emit(ItemType::kChar);
  } else {
    out = Errorf("unrecognized character in action: " + RuneDescription(r));
  }
  return true;
}

Item Lexer::LexSpace() {
  int spaces = 0;
  while (IsSpace(PeekRune())) {
    NextRune();
    ++spaces;
  }
  std::string_view before = input_.substr(pos_ - 1);
  if (HasRightTrimMarker(before) && before.substr(2).starts_with(kRightDelim)) {
    // Step back before the space that starts " -}}".
    --pos_;
    if (input_[pos_] == '\n') --line_;
    if (spaces == 1) {
      Item item;
      LexRightDelim(item);
      return item;
    }
  }
  return Emit(ItemType::kSpace);
}

bool Lexer::AtTerminator() {
  char32_t r = PeekRune();
  if (IsSpace(r)) return true;
  switch (r) {
    case kEof:
    case '.':
    case ',':
    case '|':
    case ':':
    case ')':
    case '(':
      return true;
    default:
      break;
  }
  return input_.substr(pos_).starts_with(kRightDelim);
}

Item Lexer::LexIdentifier() {
  char32_t r;
  while (IsAlphaNumeric(r = NextRune())) {
  }
  Backup();
  std::string_view word = input_.substr(start_, pos_ - start_);
  if (!AtTerminator()) return Errorf("bad character " + RuneDescription(r));
  ItemType key = Keyword(word);
  if (key != ItemType::kError) return Emit(key);
  if (word == "true" || word == "false") return Emit(ItemType::kBool);
  return Emit(ItemType::kIdentifier);
}

Item Lexer::LexFieldOrVariable(ItemType t) {
  if (AtTerminator()) return Emit(t == ItemType::kVariable ? ItemType::kVariable : ItemType::kDot);
  char32_t r;
  while (IsAlphaNumeric(r = NextRune())) {
  }
  Backup();
  if (!AtTerminator()) return Errorf("bad character " + RuneDescription(r));
  return Emit(t);
}

Item Lexer::LexQuote(char32_t quote, ItemType t, const char* unterminated) {
  for (;;) {
    char32_t r = NextRune();
    if (r == '\\' && quote != '`') {
      r = NextRune();
      if (r != kEof && r != '\n') continue;
      return Errorf(unterminated);
    }
    if (r == kEof || (r == '\n' && quote != '`')) return Errorf(unterminated);
    if (r == quote) break;
  }
  return Emit(t);
}

bool Lexer::ScanNumber() {
  auto accept = [this](std::string_view valid) {
    char32_t r = NextRune();
    if (r != kEof && r < 0x80 && valid.find(static_cast<char>(r)) != std::string_view::npos) {
      return true;
    }
    Backup();
    return false;
  };
  auto accept_run = [&](std::string_view valid) {
    while (accept(valid)) {
    }
  };
  accept("+-");
  std::string_view digits = "0123456789_";
  if (accept("0")) {
    if (accept("xX")) {
      digits = "0123456789abcdefABCDEF_";
    } else if (accept("oO")) {
      digits = "01234567_";
    } else if (accept("bB")) {
      digits = "01_";
    }
  }
  accept_run(digits);
  if (accept(".")) accept_run(digits);
  if (digits.size() == 11 && accept("eE")) {
    accept("+-");
    accept_run("0123456789_");
  }
  if (digits.size() == 23 && accept("pP")) {
    accept("+-");
    accept_run("0123456789_");
  }
  accept("i");
  if (IsAlphaNumeric(PeekRune())) {
    NextRune();
    return false;
  }
  return true;
}

Item Lexer::LexNumber() {
  if (!ScanNumber()) {
    std::string text(input_.substr(start_, pos_ - start_));
    return Errorf("bad number syntax: " + QuotePrefix(text, text.size() + 1));
  }
  char32_t sign = PeekRune();
  if (sign == '+' || sign == '-') {
    if (!ScanNumber() || input_[pos_ - 1] != 'i') {
      std::string text(input_.substr(start_, pos_ - start_));
      return Errorf("bad number syntax: " + QuotePrefix(text, text.size() + 1));
    }
    return Emit(ItemType::kComplex);
  }
  return Emit(ItemType::kNumber);
}

}  // namespace fleetsim::gotmpl
