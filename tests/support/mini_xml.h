// A small XML reader for tests: checks that a document is well-formed (one root, matching tags,
// quoted attributes, known entities, no stray '<' or '&') and returns its element tree. Enough to
// check the JUnit writer without a dependency; not a general XML parser (no DTD, no CDATA).
#ifndef FLEETSIM_TESTS_SUPPORT_MINI_XML_H_
#define FLEETSIM_TESTS_SUPPORT_MINI_XML_H_

#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fleetsim::testing {

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;  // values unescaped
  std::string text;                               // character data directly inside, unescaped
  std::vector<XmlElement> children;

  // Direct children named `child`.
  std::vector<const XmlElement*> Children(std::string_view child) const {
    std::vector<const XmlElement*> out;
    for (const XmlElement& c : children) {
      if (c.name == child) out.push_back(&c);
    }
    return out;
  }
};

class MiniXml {
 public:
  // Parses `doc`; on failure returns false and sets error() (with the byte offset).
  bool Parse(std::string_view doc, XmlElement* root) {
    doc_ = doc;
    pos_ = 0;
    if (doc_.substr(0, 5) == "<?xml") {
      size_t end = doc_.find("?>");
      if (end == std::string_view::npos) return Fail("unterminated XML declaration");
      pos_ = end + 2;
    }
    SkipSpace();
    if (!Element(root)) return false;
    SkipSpace();
    if (pos_ != doc_.size()) return Fail("content after the root element");
    return true;
  }
  const std::string& error() const { return error_; }

 private:
  bool Fail(const std::string& why) {
    error_ = "offset " + std::to_string(pos_) + ": " + why;
    return false;
  }
  void SkipSpace() {
    while (pos_ < doc_.size() &&
           std::string_view(" \t\r\n").find(doc_[pos_]) != std::string_view::npos)
      ++pos_;
  }
  static bool NameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
           c == ':';
  }
  bool Name(std::string* out) {
    size_t start = pos_;
    while (pos_ < doc_.size() && NameChar(doc_[pos_])) ++pos_;
    if (pos_ == start) return Fail("expected a name");
    *out = std::string(doc_.substr(start, pos_ - start));
    return true;
  }
  // Character data up to `stop`, entities replaced; a raw '<' or a bad '&' fails.
  bool Chars(char stop, std::string* out) {
    while (pos_ < doc_.size() && doc_[pos_] != stop) {
      char c = doc_[pos_];
      if (c == '<') return Fail("'<' in character data");
      if (c != '&') {
        *out += c;
        ++pos_;
        continue;
      }
      size_t semi = doc_.find(';', pos_);
      if (semi == std::string_view::npos) return Fail("unterminated entity");
      std::string_view entity = doc_.substr(pos_ + 1, semi - pos_ - 1);
      static const std::map<std::string_view, char> kEntities = {
          {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
      auto it = kEntities.find(entity);
      if (it != kEntities.end()) {
        *out += it->second;
      } else if (entity.size() > 1 && entity[0] == '#') {
        *out += '?';  // numeric references are not decoded
      } else {
        return Fail("unknown entity &" + std::string(entity) + ";");
      }
      pos_ = semi + 1;
    }
    return true;
  }
  bool Element(XmlElement* e) {
    if (pos_ >= doc_.size() || doc_[pos_] != '<') return Fail("expected '<'");
    ++pos_;
    if (!Name(&e->name)) return false;
    for (;;) {
      SkipSpace();
      if (pos_ >= doc_.size()) return Fail("unterminated start tag");
      if (doc_.substr(pos_, 2) == "/>") {
        pos_ += 2;
        return true;
      }
      if (doc_[pos_] == '>') {
        ++pos_;
        break;
      }
      std::string key, value;
      if (!Name(&key)) return false;
      if (pos_ >= doc_.size() || doc_[pos_] != '=') return Fail("expected '=' after " + key);
      ++pos_;
      if (pos_ >= doc_.size() || (doc_[pos_] != '"' && doc_[pos_] != '\'')) {
        return Fail("attribute value not quoted");
      }
      char quote = doc_[pos_++];
      if (!Chars(quote, &value)) return false;
      if (pos_ >= doc_.size()) return Fail("unterminated attribute value");
      ++pos_;
      if (!e->attributes.emplace(key, value).second) return Fail("duplicate attribute " + key);
    }
    for (;;) {
      if (!Chars('<', &e->text)) return false;
      if (pos_ >= doc_.size()) return Fail("missing </" + e->name + ">");
      if (doc_.substr(pos_, 2) == "</") {
        pos_ += 2;
        std::string closing;
        if (!Name(&closing)) return false;
        if (closing != e->name) return Fail("</" + closing + "> closes <" + e->name + ">");
        SkipSpace();
        if (pos_ >= doc_.size() || doc_[pos_] != '>') return Fail("expected '>'");
        ++pos_;
        return true;
      }
      e->children.emplace_back();
      if (!Element(&e->children.back())) return false;
    }
  }

  std::string_view doc_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace fleetsim::testing

#endif  // FLEETSIM_TESTS_SUPPORT_MINI_XML_H_
