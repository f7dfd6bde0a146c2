// "Did you mean" for names a user mistyped: keys, fault kinds, verbs, metrics, clusters.
#ifndef FLEETSIM_SIM_SCENARIO_SUGGEST_H_
#define FLEETSIM_SIM_SCENARIO_SUGGEST_H_

#include <string>
#include <string_view>
#include <vector>

namespace fleetsim {

// The candidate closest to `word`, ignoring case: an edit distance (insert, delete, substitute,
// swap two neighbours) of at most 2 and at most a third of the word's length; failing that, a
// candidate that starts with the word or that the word starts with (3 or more characters shared).
// Ties go to the earlier candidate. Empty when nothing is close.
std::string ClosestName(std::string_view word, const std::vector<std::string>& candidates);

// `unknown <what> "word" (did you mean "x"?)` when a candidate is close, else
// `unknown <what> "word"; expected one of: a, b, c` with the candidates sorted; the list is left
// out when it would name more than 40.
std::string UnknownNameMessage(std::string_view what, std::string_view word,
                               std::vector<std::string> candidates);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_SCENARIO_SUGGEST_H_
