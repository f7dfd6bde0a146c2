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

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_SCENARIO_REPO_URL_H_
