#include "sim/argocd/appset_render.h"

#include "sim/argocd/strategic_merge.h"
#include "sim/manifest/yaml_to_json.h"

namespace fleetsim {
namespace {

bool HasTag(std::string_view text) {
  size_t open = text.find("{{");
  return open != std::string_view::npos && text.find("}}", open + 2) != std::string_view::npos;
}

}  // namespace

AppSetRenderer::Bound AppSetRenderer::Bind(const ParamSet& params) const {
  Bound bound{params, {}};
  if (!spec_.go_template && params.is_object()) {
    for (const auto& [k, v] : params.items()) {
      if (v.is_string()) bound.fast.emplace(k, v.get<std::string>());
    }
  }
  return bound;
}

Result<std::string> AppSetRenderer::Replace(const std::string& text, const ParamSet& params) {
  return ReplaceBound(text, Bind(params));
}

Result<std::string> AppSetRenderer::ReplaceBound(const std::string& text, const Bound& bound) {
  if (!spec_.go_template) {
    if (!HasTag(text)) return text;
    Result<std::string> out = RenderFastTemplate(text, bound.fast);
    if (!out.ok()) return Status::Error("invalid template: " + out.error());
    return out;
  }
  if (text.find("{{") == std::string::npos) return text;  // plain text renders as itself
  auto it = parsed_.find(text);
  if (it == parsed_.end()) it = parsed_.emplace(text, GoTemplate::Parse(text, "base")).first;
  if (!it->second.ok()) {
    return Status::Error("failed to parse template " + text + ": " + it->second.error());
  }
  Result<std::string> out = it->second->Execute(bound.params, spec_.template_options);
  if (!out.ok()) return Status::Error("failed to execute go template " + text + ": " + out.error());
  return out;
}

Json AppSetRenderer::RenderNode(const Json& node, const Bound& bound, bool keep_going,
                                std::vector<RenderError>* errors) {
  auto render = [&](const std::string& text) -> std::string {
    if (!keep_going && !errors->empty()) return text;
    Result<std::string> out = ReplaceBound(text, bound);
    if (out.ok()) return std::move(out).value();
    errors->push_back({out.error(), text});
    return text;
  };
  switch (node.type()) {
    case Json::value_t::string:
      return render(node.get<std::string>());
    case Json::value_t::object: {
      Json out = Json::object();
      for (const auto& [k, v] : node.items()) {
        if (v.is_null()) continue;  // a nil map, slice or pointer is not copied
        Json value = RenderNode(v, bound, keep_going, errors);
        out[render(k)] = std::move(value);
      }
      return out;
    }
    case Json::value_t::array: {
      Json out = Json::array();
      for (const Json& v : node) out.push_back(RenderNode(v, bound, keep_going, errors));
      return out;
    }
    default:
      return node;
  }
}

Status AppSetRenderer::ApplyPatch(Json& app, const Bound& bound) {
  Result<std::string> text = ReplaceBound(*spec_.template_patch, bound);
  if (!text.ok()) return Status::Error("error replacing values in templatePatch: " + text.error());
  Result<std::vector<Json>> docs = YamlToJson(*text);
  if (!docs.ok()) {
    return Status::Error("error while converting template to json \"" + *text +
                         "\": " + docs.error());
  }
  if (docs->empty()) return Status::Ok();
  if (!(*docs)[0].is_object()) {
    return Status::Error("invalid templatePatch \"" + *text +
                         "\": json: cannot unmarshal into Go value of type v1alpha1.Application");
  }
  Json project = app["spec"].value("project", Json());
  Result<Json> patched = StrategicMergeApplication(app, (*docs)[0]);
  if (!patched.ok()) {
    return Status::Error("error while applying templatePatch template to json \"" + *text +
                         "\": " + patched.error());
  }
  app = std::move(patched).value();
  // The patch cannot change the project (applyTemplatePatch restores it).
  if (!app["spec"].is_object()) app["spec"] = Json::object();
  app["spec"]["project"] = project;
  if (project.is_null()) app["spec"].erase("project");
  return Status::Ok();
}

Result<Json> AppSetRenderer::Render(const Json& tmpl, const ParamSet& params, bool keep_going,
                                    std::vector<RenderError>* errors) {
  Bound bound = Bind(params);
  size_t errors_before = errors->size();
  Json rendered = params.empty() ? tmpl : RenderNode(tmpl, bound, keep_going, errors);
  bool failed = errors->size() != errors_before;
  if (failed && !keep_going) return Status::Error(errors->back().message);

  Json app = {{"apiVersion", "argoproj.io/v1alpha1"}, {"kind", "Application"}};
  Json meta = Json::object();
  auto m = rendered.find("metadata");
  if (m != rendered.end() && m->is_object()) {
    for (const char* key : {"name", "labels", "annotations", "finalizers"}) {
      auto it = m->find(key);
      if (it != m->end()) meta[key] = std::move(*it);
    }
  }
  meta["namespace"] = spec_.ns;
  if (!params.empty() && !spec_.preserve_resources_on_deletion &&
      (!meta.contains("finalizers") || meta["finalizers"].empty())) {
    meta["finalizers"] = {std::string(kResourcesFinalizer)};
  }
  app["metadata"] = std::move(meta);
  auto spec = rendered.find("spec");
  app["spec"] = spec != rendered.end() ? std::move(*spec) : Json::object();
  if (spec_.template_patch && !failed) {
    Status patched = ApplyPatch(app, bound);
    if (!patched.ok()) {
      errors->push_back({patched.message(), *spec_.template_patch});
      if (!keep_going) return patched;
    }
  }
  return app;
}

}  // namespace fleetsim
