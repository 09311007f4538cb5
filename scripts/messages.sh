#!/usr/bin/env bash
# Update the vi/en message catalogues of every app that has one, then compile them.
# Each app keeps its own catalogue in vgp/<app>/locale; vgp/locale holds the site-wide ones
# (templates in vgp/templates, settings, core).
set -euo pipefail
cd "$(dirname "$0")/.."
# Run without a settings module, so that each app's strings go to its own catalogue.
unset DJANGO_SETTINGS_MODULE
admin="$PWD/.venv/bin/django-admin"
for dir in vgp/*/locale; do
  app=$(dirname "$dir")
  [ "$app" = "vgp" ] && continue
  (cd "$app" && "$admin" makemessages -l vi -l en --no-obsolete --ignore 'tests/*' >/dev/null)
done
# Site-wide catalogue: everything in vgp/ that has no catalogue of its own.
ignores=(--ignore '*/tests/*' --ignore 'testing/*' --ignore 'locale_wagtail/*')
for dir in vgp/*/locale; do ignores+=(--ignore "$(basename "$(dirname "$dir")")/*"); done
(cd vgp && "$admin" makemessages -l vi -l en --no-obsolete "${ignores[@]}" >/dev/null)
(cd vgp && "$admin" compilemessages >/dev/null)  # every catalogue below vgp/
echo "Catalogues updated and compiled. Untranslated or fuzzy Vietnamese entries (fix them):"
for po in vgp/locale/vi/LC_MESSAGES/django.po vgp/*/locale/vi/LC_MESSAGES/django.po; do
  [ -f "$po" ] || continue
  for kind in --untranslated --only-fuzzy; do
    # Each listing starts with the header entry, which is not a string to translate.
    n=$(msgattrib "$kind" --no-obsolete "$po" 2>/dev/null | grep -c '^msgid ' || true)
    [ "$n" -gt 1 ] && echo "  $po ($kind): $((n - 1))"
  done
done
exit 0
