// Repository URLs compared the way Argo CD compares them.
#ifndef FLEETSIM_SIM_SCENARIO_REPO_URL_H_
#define FLEETSIM_SIM_SCENARIO_REPO_URL_H_

#include <string>
#include <string_view>

namespace fleetsim {

// Two URLs name the same repository iff their normalised forms are equal. Follows Argo CD's
// git.NormalizeGitURL (util/git/git.go): surrounding spaces trimmed, the whole URL lower-cased,
// scp-like SSH "git@host:org/repo" and "ssh://git@host/org/repo" both become "git@host/org/repo";
// then, as DESIGN.md asks, trailing "/" and a ".git" suffix are removed, so
// "HTTPS://GitHub.com/Acme/Apps.git/" -> "https://github.com/acme/apps".
std::string NormalizeRepoUrl(std::string_view url);

// The same, without allocating when `url` needs only its trailing "/" and ".git" removed (no
// surrounding spaces, no upper case, not SSH): the result is then a prefix of `url`, else it is
// written to `scratch`. The view is valid while both are.
std::string_view NormalizeRepoUrl(std::string_view url, std::string& scratch);

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_SCENARIO_REPO_URL_H_
