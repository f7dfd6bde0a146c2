#include "sim/secrets/sealed_base64.h"

#include <cstdint>
#include <cstring>

namespace fleetsim::secrets {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int ValueOf(char c) {
  if (c == '\0') return -1;
  const char* p = std::strchr(kAlphabet, c);
  return p == nullptr ? -1 : static_cast<int>(p - kAlphabet);
}

}  // namespace

std::string Base64Encode(std::string_view data) {
  std::string out;
  for (size_t i = 0; i < data.size(); i += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(data[i])) << 16;
    if (i + 1 < data.size())
      n |= static_cast<uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8;
    if (i + 2 < data.size()) n |= static_cast<uint32_t>(static_cast<unsigned char>(data[i + 2]));
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < data.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

// Quantum by quantum, as encoding/base64's decodeQuantum: the offset in an error is that of the
// offending byte, of the start of a cut-short quantum, or of trailing data after padding.
std::optional<std::string> Base64Decode(std::string_view src, std::string* error) {
  auto fail = [&](size_t at) {
    *error = "illegal base64 data at input byte " + std::to_string(at);
    return std::nullopt;
  };
  auto skip_newlines = [&](size_t si) {
    while (si < src.size() && (src[si] == '\n' || src[si] == '\r')) ++si;
    return si;
  };
  std::string out;
  size_t si = 0;
  while (true) {
    int vals[4] = {0, 0, 0, 0};
    size_t dlen = 4;
    for (size_t j = 0; j < 4; ++j) {
      if (si == src.size()) {
        if (j == 0) return out;
        return fail(si - j);
      }
      char c = src[si++];
      if (int v = ValueOf(c); v >= 0) {
        vals[j] = v;
        continue;
      }
      if (c == '\n' || c == '\r') {
        --j;
        continue;
      }
      if (c != '=' || j < 2) return fail(si - 1);
      if (j == 2) {
        si = skip_newlines(si);
        if (si == src.size()) return fail(src.size());
        if (src[si] != '=') return fail(si - 1);
        ++si;
      }
      si = skip_newlines(si);
      if (si < src.size()) return fail(si);
      dlen = j;
      break;
    }
    uint32_t n = (static_cast<uint32_t>(vals[0]) << 18) | (static_cast<uint32_t>(vals[1]) << 12) |
                 (static_cast<uint32_t>(vals[2]) << 6) | static_cast<uint32_t>(vals[3]);
    out += static_cast<char>((n >> 16) & 0xff);
    if (dlen > 2) out += static_cast<char>((n >> 8) & 0xff);
    if (dlen > 3) out += static_cast<char>(n & 0xff);
    if (dlen < 4) return out;
  }
}

}  // namespace fleetsim::secrets
