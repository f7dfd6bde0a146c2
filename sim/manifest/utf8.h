// UTF-8 as Go reads it: a byte that does not start a valid sequence (overlong forms, surrogates
// and code points past U+10FFFF included) counts as one invalid byte, which Go's decoders turn
// into U+FFFD.
#ifndef FLEETSIM_SIM_MANIFEST_UTF8_H_
#define FLEETSIM_SIM_MANIFEST_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace fleetsim {

// The length of the valid UTF-8 sequence starting at s[i], or 0 if none starts there.
// REQUIRES: i < s.size().
size_t Utf8SequenceLength(std::string_view s, size_t i);

// The code points of `s`, each invalid byte decoded as U+FFFD (Go's `for range` over a string).
std::u32string DecodeUtf8(std::string_view s);

// Appends the UTF-8 encoding of `rune` (one to four bytes; the caller passes a valid code point).
void AppendUtf8(std::string& out, char32_t rune);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_MANIFEST_UTF8_H_
