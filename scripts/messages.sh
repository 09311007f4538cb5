#!/usr/bin/env bash
# Update the vi/en message catalogues of every app that has one, then compile them.
# Each app keeps its own catalogue in vgp/<app>/locale; vgp/locale holds the site-wide ones
# (templates in vgp/templates, settings, core).
#
#   scripts/messages.sh          update the catalogues in place and compile them
#   scripts/messages.sh --check  update a throw-away copy and fail if any Vietnamese string is
#                                missing, untranslated or fuzzy (CI runs this; nothing is written)
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
[ "${1:-}" = "--check" ] && check=true
# Run without a settings module, so that each app's strings go to its own catalogue.
unset DJANGO_SETTINGS_MODULE
admin="$PWD/.venv/bin/django-admin"
if $check; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cp -a vgp "$work/vgp"
  cd "$work"
fi
for dir in vgp/*/locale; do
  app=$(dirname "$dir")
  [ "$app" = "vgp" ] && continue
  (cd "$app" && "$admin" makemessages -l vi -l en --no-obsolete --ignore 'tests/*' >/dev/null)
done
# Site-wide catalogue: everything in vgp/ that has no catalogue of its own.
ignores=(--ignore '*/tests/*' --ignore 'testing/*' --ignore 'locale_wagtail/*')
for dir in vgp/*/locale; do ignores+=(--ignore "$(basename "$(dirname "$dir")")/*"); done
(cd vgp && "$admin" makemessages -l vi -l en --no-obsolete "${ignores[@]}" >/dev/null)
if $check; then
  echo "Vietnamese catalogues checked against the source:"
else
  (cd vgp && "$admin" compilemessages >/dev/null)  # every catalogue below vgp/
  echo "Catalogues updated and compiled. Untranslated or fuzzy Vietnamese entries (fix them):"
fi
missing=0
for po in vgp/locale/vi/LC_MESSAGES/django.po vgp/*/locale/vi/LC_MESSAGES/django.po; do
  [ -f "$po" ] || continue
  for kind in --untranslated --only-fuzzy; do
    # Each listing starts with the header entry, which is not a string to translate.
    n=$(msgattrib "$kind" --no-obsolete "$po" 2>/dev/null | grep -c '^msgid ' || true)
    if [ "$n" -gt 1 ]; then
      echo "  $po ($kind): $((n - 1))"
      missing=$((missing + n - 1))
      # In a check, show which: the developer runs this script without --check to fix them.
      $check && msgattrib "$kind" --no-obsolete --no-wrap "$po" | grep '^msgid ' | tail -n +2 \
        | sed 's/^/      /'
    fi
  done
done
if $check; then
  if [ "$missing" -gt 0 ]; then
    echo "$missing string(s) to translate: run scripts/messages.sh, translate them, commit the .po files."
    exit 1
  fi
  echo "  every string is translated."
fi
exit 0
