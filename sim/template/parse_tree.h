// text/template's parse tree (text/template/parse/node.go), one Node type for every kind, owned
// by the Tree's arena. String() gives Go's node text, which execution errors quote as context.
#ifndef FLEETSIM_SIM_TEMPLATE_PARSE_TREE_H_
#define FLEETSIM_SIM_TEMPLATE_PARSE_TREE_H_

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "sim/manifest/json.h"

namespace fleetsim::gotmpl {

struct FuncSpec;

enum class NodeType {
  kText,
  kAction,
  kBool,
  kBreak,
  kChain,
  kCommand,
  kComment,
  kContinue,
  kDot,
  kField,
  kIdentifier,
  kIf,
  kList,
  kNil,
  kNumber,
  kPipe,
  kRange,
  kString,
  kTemplate,
  kVariable,
  kWith,
  kEnd,   // parsing only
  kElse,  // parsing only
};

struct Node {
  NodeType type;
  int pos = 0;
  int line = 0;
  std::string text;                // text, identifier, number/string literal as written
  std::string value;               // unquoted string, template name
  std::vector<std::string> ident;  // field, variable and chain names
  std::vector<Node*> nodes;        // list items, command args, pipe commands
  std::vector<Node*> decl;         // pipe: declared variables
  bool is_assign = false;          // pipe: "=" rather than ":="
  Node* pipe = nullptr;            // action, if, range, with, template; chain: its operand
  Node* list = nullptr;
  Node* else_list = nullptr;
  const FuncSpec* func = nullptr;  // identifier
  // Literals.
  bool boolean = false;
  bool is_int = false, is_uint = false, is_float = false, is_complex = false;
  int64_t int_value = 0;
  uint64_t uint_value = 0;
  double float_value = 0;
  // The value of a string, bool or number literal, built once at parse time; execution points at
  // it instead of building a new value on every run. Null for a number that is not an int or float
  // constant in an untyped context.
  Json literal;

  std::string String() const;
};

struct Tree {
  std::string name;  // the top-level template's name
  std::string text;  // the whole template text; node positions index it
  std::deque<Node> arena;
  std::map<std::string, Node*, std::less<>> templates;  // name -> root list

  Node* New(NodeType type, int pos, int line = 0) {
    arena.push_back(Node{type});
    Node* n = &arena.back();
    n->pos = pos;
    n->line = line;
    return n;
  }
};

}  // namespace fleetsim::gotmpl

#endif  // FLEETSIM_SIM_TEMPLATE_PARSE_TREE_H_
