// Give the ALTCHA widget its texts in the page's language, from our own translations
// (vgp/feedback/proof_of_work.py: widget_strings()).
//
// The include feedback/includes/proof_of_work.html renders the texts with Django's json_script
// and loads this module right after vendor/altcha/altcha.min.js: module scripts run in document
// order, so the widget's global registry ($altcha) exists here. The texts are registered under
// the language each widget names in its `language` attribute; the registry is reactive, so a
// widget already drawn is redrawn with them.

const STRINGS_ID = "feedback-altcha-strings";

function registerStrings() {
  const source = document.getElementById(STRINGS_ID);
  const registry = globalThis.$altcha && globalThis.$altcha.i18n;
  if (!source || !registry) return;
  const strings = JSON.parse(source.textContent);
  const languages = new Set(
    Array.from(document.querySelectorAll("altcha-widget[language]"), (widget) =>
      widget.getAttribute("language").toLowerCase(),
    ),
  );
  for (const language of languages) {
    registry.set(language, { ...(registry.get(language) || {}), ...strings });
  }
}

registerStrings();
