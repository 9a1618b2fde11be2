#!/bin/sh
# Starts one Firefox with enterprise policies that only it can see: in a private mount namespace, the install's
# distribution/ directory is replaced by $LUCS_FIREFOX_DISTRIBUTION (which holds policies.json). The machine's
# Firefox install is never written to. Needs root (or CAP_SYS_ADMIN) for the mount, as the tests run here.
set -eu
: "${LUCS_FIREFOX:?the Firefox binary}" "${LUCS_FIREFOX_DISTRIBUTION:?the distribution directory to mount}"
exec unshare --mount --propagation private sh -c \
  'mount --bind "$LUCS_FIREFOX_DISTRIBUTION" "$(dirname "$LUCS_FIREFOX")/distribution" && exec "$LUCS_FIREFOX" "$@"' \
  firefox "$@"
