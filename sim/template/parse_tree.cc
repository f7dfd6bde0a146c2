#include "sim/template/parse_tree.h"

namespace fleetsim::gotmpl {
namespace {

void AppendControl(std::string& out, const char* keyword, const Node& n) {
  out += "{{";
  out += keyword;
  out += ' ';
  out += n.pipe->String();
  out += "}}";
  out += n.list->String();
  if (n.else_list != nullptr) {
    out += "{{else}}";
    out += n.else_list->String();
  }
  out += "{{end}}";
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string Node::String() const {
  std::string out;
  switch (type) {
    case NodeType::kText:
      return text;
    case NodeType::kAction:
      return "{{" + pipe->String() + "}}";
    case NodeType::kBool:
      return boolean ? "true" : "false";
    case NodeType::kBreak:
      return "{{break}}";
    case NodeType::kContinue:
      return "{{continue}}";
    case NodeType::kComment:
      return "{{" + text + "}}";
    case NodeType::kDot:
      return ".";
    case NodeType::kNil:
      return "nil";
    case NodeType::kNumber:
    case NodeType::kString:
    case NodeType::kIdentifier:
      return text;
    case NodeType::kEnd:
      return "{{end}}";
    case NodeType::kElse:
      return "{{else}}";
    case NodeType::kField:
      for (const std::string& id : ident) out += "." + id;
      return out;
    case NodeType::kVariable:
      for (size_t i = 0; i < ident.size(); ++i) {
        if (i > 0) out += '.';
        out += ident[i];
      }
      return out;
    case NodeType::kChain:
      out = pipe->type == NodeType::kPipe ? "(" + pipe->String() + ")" : pipe->String();
      for (const std::string& id : ident) out += "." + id;
      return out;
    case NodeType::kCommand:
      for (size_t i = 0; i < nodes.size(); ++i) {
        if (i > 0) out += ' ';
        if (nodes[i]->type == NodeType::kPipe) {
          out += "(" + nodes[i]->String() + ")";
        } else {
          out += nodes[i]->String();
        }
      }
      return out;
    case NodeType::kPipe:
      if (!decl.empty()) {
        for (size_t i = 0; i < decl.size(); ++i) {
          if (i > 0) out += ", ";
          out += decl[i]->String();
        }
        out += is_assign ? " = " : " := ";
      }
      for (size_t i = 0; i < nodes.size(); ++i) {
        if (i > 0) out += " | ";
        out += nodes[i]->String();
      }
      return out;
    case NodeType::kList:
      for (const Node* n : nodes) out += n->String();
      return out;
    case NodeType::kIf:
      AppendControl(out, "if", *this);
      return out;
    case NodeType::kRange:
      AppendControl(out, "range", *this);
      return out;
    case NodeType::kWith:
      AppendControl(out, "with", *this);
      return out;
    case NodeType::kTemplate:
      if (pipe == nullptr) return "{{template " + Quote(value) + "}}";
      return "{{template " + Quote(value) + " " + pipe->String() + "}}";
  }
  return out;
}

}  // namespace fleetsim::gotmpl
