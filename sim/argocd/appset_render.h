// Rendering an ApplicationSet's Application template with one parameter set, as Argo CD's
// utils.Render does (applicationset/utils/utils.go RenderTemplateParams, Replace;
// controllers/template/template.go renderTemplatePatch): every string of the template — map keys
// included — is rendered on its own, with fasttemplate or with Go's text/template, and the errors
// read as Argo CD wraps Go's.
#ifndef FLEETSIM_SIM_ARGOCD_APPSET_RENDER_H_
#define FLEETSIM_SIM_ARGOCD_APPSET_RENDER_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/manifest/json.h"

#include "engine/status.h"
#include "sim/argocd/appset_params.h"
#include "sim/argocd/appset_spec.h"
#include "sim/template/go_template.h"

namespace fleetsim {

// A template error with the text whose rendering failed (so that `fleetsim validate` can point at
// it in the file).
struct RenderError {
  std::string message;
  std::string text;
};

class AppSetRenderer {
 public:
  // REQUIRES: `spec` outlives the renderer.
  explicit AppSetRenderer(const AppSetSpec& spec) : spec_(spec) {}

  // utils.Render.Replace: Go mode parses `text` as template "base" and executes it with `params`
  // ("failed to parse template T: ...", "failed to execute go template T: ..."); fasttemplate mode
  // substitutes {{key}} with string parameters and leaves other tags as written. Parsed templates
  // are kept, so a string is parsed once however many parameter sets use it.
  Result<std::string> Replace(const std::string& text, const ParamSet& params);

  // RenderTemplateParams of `tmpl` (an ApplicationSetTemplate: metadata + spec) and then the
  // templatePatch: the Application, in the ApplicationSet's namespace, with the resources
  // finalizer added when the template names no finalizer and preserveResourcesOnDeletion is off.
  // On error, `errors` gets each failing string (all of them when `keep_going`, else the first)
  // and, with `keep_going`, the Application is still returned with those strings as written.
  Result<Json> Render(const Json& tmpl, const ParamSet& params, bool keep_going,
                      std::vector<RenderError>* errors);

 private:
  // One parameter set in the form the template mode reads it.
  struct Bound {
    const ParamSet& params;
    FastTemplateParams fast;  // fasttemplate mode: the string parameters
  };
  Bound Bind(const ParamSet& params) const;
  Result<std::string> ReplaceBound(const std::string& text, const Bound& bound);
  Json RenderNode(const Json& node, const Bound& bound, bool keep_going,
                  std::vector<RenderError>* errors);
  Status ApplyPatch(Json& app, const Bound& bound);

  const AppSetSpec& spec_;
  std::map<std::string, Result<GoTemplate>, std::less<>> parsed_;
};

}  // namespace fleetsim

#endif  // FLEETSIM_SIM_ARGOCD_APPSET_RENDER_H_
