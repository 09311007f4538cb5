#!/usr/bin/env bash
# Update the vi/en message catalogues of every app that has one, then compile them.
# Each app keeps its own catalogue in vgp/<app>/locale; vgp/locale holds the site-wide ones
# (templates in vgp/templates, settings, core).
set -euo pipefail
cd "$(dirname "$0")/.."
admin="$PWD/.venv/bin/django-admin"
for dir in vgp/*/locale; do
  app=$(dirname "$dir")
  [ "$app" = "vgp" ] && continue
  (cd "$app" && "$admin" makemessages -l vi -l en --no-obsolete --ignore 'tests/*' >/dev/null)
done
(cd vgp && "$admin" makemessages -l vi -l en --no-obsolete \
  --ignore '*/tests/*' --ignore 'accounts/*' --ignore 'agencies/*' --ignore 'audit/*' \
  --ignore 'workdays/*' --ignore 'portal/*' >/dev/null)
"$admin" compilemessages --ignore '.venv' --ignore 'node_modules' >/dev/null
echo "Catalogues updated and compiled. Untranslated or fuzzy Vietnamese entries (fix them):"
for po in vgp/locale/vi/LC_MESSAGES/django.po vgp/*/locale/vi/LC_MESSAGES/django.po; do
  [ -f "$po" ] || continue
  n=$( { msgattrib --untranslated --no-obsolete "$po"; msgattrib --only-fuzzy --no-obsolete "$po"; } 2>/dev/null | grep -c '^msgid ' || true)
  [ "$n" -gt 1 ] && echo "  $po: $((n - 1))"
done
exit 0
