// strconv's float formatting ('e', 'f', 'g', shortest or with a precision) on top of C++'s
// correctly rounded std::to_chars digits.
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

#include "sim/template/go_format.h"

namespace fleetsim::gotmpl {
namespace {

// A decimal as strconv's formatDigits sees it: digits "d1d2..." with the point after `dp` digits.
struct Decimal {
  std::string digits;  // no leading or trailing zeros; empty for zero
  int dp = 0;
};

// Reads C++'s scientific output ("1.2345e+06") into digits and point position.
Decimal ParseScientific(std::string_view s) {
  Decimal d;
  size_t e = s.find('e');
  std::string_view mant = s.substr(0, e);
  for (char c : mant) {
    if (c != '.') d.digits += c;
  }
  int exp = 0;
  std::from_chars(s.data() + e + (s[e + 1] == '+' ? 2 : 1), s.data() + s.size(), exp);
  d.dp = exp + 1;
  while (!d.digits.empty() && d.digits.back() == '0') d.digits.pop_back();
  size_t lead = 0;
  while (lead < d.digits.size() && d.digits[lead] == '0') ++lead;
  if (lead == d.digits.size()) return Decimal{};
  return d;
}

Decimal Digits(double v, int significant) {
  char buf[64];
  auto r = significant < 0 ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific)
                           : std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific,
                                           significant - 1);
  return ParseScientific(std::string_view(buf, r.ptr - buf));
}

void FmtE(std::string& out, const Decimal& d, int prec, char fmt) {
  const int nd = static_cast<int>(d.digits.size());
  out += nd == 0 ? '0' : d.digits[0];
  if (prec > 0) {
    out += '.';
    int i = 1;
    for (; i < nd && i <= prec; ++i) out += d.digits[i];
    for (; i <= prec; ++i) out += '0';
  }
  out += fmt;
  int exp = nd == 0 ? 0 : d.dp - 1;
  out += exp < 0 ? '-' : '+';
  exp = std::abs(exp);
  if (exp < 10) out += '0';
  out += std::to_string(exp);
}

void FmtF(std::string& out, const Decimal& d, int prec) {
  const int nd = static_cast<int>(d.digits.size());
  if (d.dp > 0) {
    int m = std::min(nd, d.dp);
    out.append(d.digits, 0, m);
    for (; m < d.dp; ++m) out += '0';
  } else {
    out += '0';
  }
  if (prec > 0) {
    out += '.';
    for (int i = 1; i <= prec; ++i) {
      int j = d.dp + i - 1;
      out += (j >= 0 && j < nd) ? d.digits[j] : '0';
    }
  }
}

}  // namespace

void AppendGoFloat(std::string& out, double v, char fmt, int prec) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  if (std::signbit(v)) out += '-';
  v = std::fabs(v);
  const bool shortest = prec < 0;
  if (fmt == 'f' && !shortest) {
    char buf[400];
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, prec);
    out.append(buf, r.ptr - buf);
    return;
  }
  Decimal d;
  if (shortest) {
    d = Digits(v, -1);
  } else if (fmt == 'e' || fmt == 'E') {
    d = Digits(v, prec + 1);
  } else {
    if (prec == 0) prec = 1;
    d = Digits(v, prec);
  }
  const int nd = static_cast<int>(d.digits.size());
  if (shortest) {
    if (fmt == 'e' || fmt == 'E') prec = nd - 1;
    if (fmt == 'f') prec = std::max(nd - d.dp, 0);
    if (fmt == 'g' || fmt == 'G') prec = nd;
  }
  switch (fmt) {
    case 'e':
    case 'E':
      FmtE(out, d, prec, fmt);
      return;
    case 'f':
      FmtF(out, d, prec);
      return;
    default: {  // 'g', 'G'
      int eprec = prec;
      if (eprec > nd && nd >= d.dp) eprec = nd;
      if (shortest) eprec = 6;
      const int exp = d.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        FmtE(out, d, prec - 1, fmt == 'g' ? 'e' : 'E');
        return;
      }
      if (prec > d.dp) prec = nd;
      FmtF(out, d, std::max(prec - d.dp, 0));
    }
  }
}

}  // namespace fleetsim::gotmpl
