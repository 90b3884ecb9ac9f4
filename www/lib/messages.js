// Rendering the core's coded messages ({ code, params }) in English or Chinese from the templates of the
// core's message catalog (CATALOG.messages of pkg/catalog.js, written by the build): `{name}` in a
// template is replaced by params[name]; a nested message is rendered in the same language, a list of
// messages joined with "; " (English) or "；" (Chinese). The same rules as the core's own English rendering (src/messages.rs).

/** The message `m` in `lang` ('en' | 'zh'), or null when `m` is not a coded message the catalog knows. */
export function renderMessage(m, lang, templates) {
  const entry = m && typeof m === 'object' && typeof m.code === 'string' ? templates?.[m.code] : null;
  if (!entry) return null;
  const template = lang === 'zh' ? entry.zh : entry.en;
  const params = m.params ?? {};
  return template.replace(/\{([^{}]*)\}/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(params, name) ? renderParam(params[name], lang, templates) : whole,
  );
}

function renderParam(v, lang, templates) {
  if (Array.isArray(v)) {
    return v.map((x) => renderMessage(x, lang, templates) ?? '').join(lang === 'zh' ? '；' : '; ');
  }
  if (v !== null && typeof v === 'object') return renderMessage(v, lang, templates) ?? '';
  return String(v);
}
