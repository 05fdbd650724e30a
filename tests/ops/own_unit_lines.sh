# Sourced by the ops tests: own_lines filters what `systemd-analyze verify`
# prints down to the lines about slamon.service.
# verify also loads the units slamon.service refers to (and whatever else is
# installed on the machine, e.g. a help desk's own unit) and prints their
# problems too: only what it says about slamon's own unit judges it.
own_lines() {
  local line
  while IFS= read -r line; do
    if [[ "$line" =~ ^(/[^:]*/)?[-A-Za-z0-9@_.]+\.(service|socket|target|timer|mount|path|slice|device|swap|automount)(:|$) ]] &&
      [[ "$line" != *slamon.service* ]]; then
      continue
    fi
    printf '%s\n' "$line"
  done
}
