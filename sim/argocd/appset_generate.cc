#include "sim/argocd/appset_generate.h"

#include "sim/argocd/appset_generators.h"
#include "sim/argocd/appset_render.h"

namespace fleetsim {
namespace {

std::string Str(const Json& node, std::initializer_list<const char*> path) {
  const Json* n = &node;
  for (const char* k : path) {
    if (!n->is_object() || !n->contains(k)) return "";
    n = &(*n)[k];
  }
  return n->is_string() ? n->get<std::string>() : "";
}

}  // namespace

GeneratedApps GenerateApplications(const AppSetSpec& spec, AppSetSources& sources,
                                   const GenerateOptions& options) {
  GeneratedApps out;
  AppSetRenderer renderer(spec);
  GeneratorContext ctx{spec, sources, renderer, options.no_revision_cache};
  for (size_t i = 0; i < spec.generators.size(); ++i) {
    const Json& entry = spec.generators[i];
    Result<std::vector<ParamSet>> params = TransformGenerator(entry, ctx, Json::object(), 0);
    if (!params.ok()) {
      out.errors.push_back(
          {params.error(), "ApplicationParamsGenerationError", "", static_cast<int>(i)});
      continue;
    }
    // A generator-level template is merged over spec.template (mergeGeneratorTemplate); only
    // the template's own fields are filled in where the generator's is empty.
    Json tmpl = spec.template_;
    for (std::string_view kind : KnownGeneratorKinds()) {
      auto it = entry.find(std::string(kind));
      if (it != entry.end() && it->is_object() && it->contains("template")) {
        Json own = (*it)["template"];
        if (own.is_object()) {
          Json merged = tmpl;
          merged.merge_patch(own);
          tmpl = std::move(merged);
        }
      }
    }
    for (const ParamSet& p : *params) {
      std::vector<RenderError> errors;
      Result<Json> app = renderer.Render(tmpl, p, options.keep_going, &errors);
      for (const RenderError& e : errors) {
        out.errors.push_back({e.message, "RenderTemplateParamsError", e.text, static_cast<int>(i)});
      }
      if (app.ok() && (errors.empty() || options.keep_going)) out.apps.push_back(std::move(*app));
      if (!errors.empty() && !options.keep_going) break;
    }
  }
  return out;
}

ValidationResult ValidateApplications(const AppSetSpec& spec, const std::vector<Json>& apps,
                                      AppSetSources& sources) {
  ValidationResult out;
  std::map<std::string, bool> seen;
  for (const Json& app : apps) {
    std::string name = Str(app, {"metadata", "name"});
    if (name.empty()) {
      out.invalid[name] = "ApplicationSet " + spec.name +
                          " contains an application with no name; a name must be set in the "
                          "template's metadata.name or via a templatePatch (generateName is not "
                          "supported)";
      continue;
    }
    if (seen[name]) {
      out.invalid[name] =
          "ApplicationSet " + spec.name + " contains applications with duplicate name: " + name;
      continue;
    }
    seen[name] = true;
    std::string project = Str(app, {"spec", "project"});
    if (!sources.ProjectExists(project)) {
      out.invalid[name] = "application references project " + project + " which does not exist";
      continue;
    }
    Status dest = sources.ResolveDestination(Str(app, {"spec", "destination", "server"}),
                                             Str(app, {"spec", "destination", "name"}));
    if (!dest.ok())
      out.invalid[name] = "application destination spec is invalid: " + dest.message();
  }
  if (!out.invalid.empty()) {
    out.message = out.invalid.rbegin()->second;
    if (out.invalid.size() > 1) {
      out.message += " (and " + std::to_string(out.invalid.size() - 1) + " more)";
    }
  }
  return out;
}

SimDuration MinRequeueAfter(const AppSetSpec& spec, SimDuration git_default) {
  SimDuration best = SimDuration::Zero();
  for (const Json& entry : spec.generators) {
    SimDuration d = GeneratorRequeueAfter(entry, git_default);
    if (d > SimDuration::Zero() && (best == SimDuration::Zero() || d < best)) best = d;
  }
  return best;
}

}  // namespace fleetsim
